package org.saliency4j.spark;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.saliency4j.Vocabulary;

/**
 * The device a task explains on, from the device asked for and the GPUs Spark assigned to the task: a cluster shares
 * its GPUs out by task, so a task may only use the one it was given ({@code spark.task.resource.gpu.amount}), never
 * whichever CUDA device libtorch would pick.
 *
 * @param device  what the model is loaded on: {@code cpu} or {@code cuda:N}
 * @param warning why the task runs on the CPU although CUDA was asked for; null when it runs as asked
 */
record TaskDevice(String device, String warning) {
    /** The resource name GPUs have in Spark's resource scheduling. */
    static final String GPU = "gpu";

    /**
     * {@code cpu} stays on the CPU; {@code auto} takes the task's first GPU, else the CPU; {@code cuda} takes the
     * task's first GPU, else falls back to the CPU with a warning; {@code cuda:N} names its device itself.
     *
     * @throws org.saliency4j.SaliencyException naming {@code device} for any other value
     */
    static TaskDevice of(String requested, Map<String, ResourceInformation> resources) {
        String asked = requested.trim().toLowerCase(Locale.ROOT);
        if (asked.equals("cpu") || asked.startsWith("cuda:")) {
            return new TaskDevice(asked, null);
        }
        if (!asked.equals("auto") && !asked.equals("cuda")) {
            throw Vocabulary.DEVICE.invalid("unknown value '" + requested + "' (expected auto, cpu, cuda or cuda:N)");
        }
        ResourceInformation gpus = resources.get(GPU);
        if (gpus != null && gpus.addresses().length > 0) {
            return new TaskDevice("cuda:" + gpus.addresses()[0], null);
        }
        return new TaskDevice("cpu", asked.equals("cuda") ? "device cuda was asked for, but Spark assigned no GPU to "
                + "the task (spark.task.resource.gpu.amount): ran on the CPU" : null);
    }
}
