package org.saliency4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.saliency4j.SaliencyException;

class TaskDeviceTest {
    private static final Map<String, ResourceInformation> GPU_2 = Map.of("gpu",
            new ResourceInformation("gpu", new String[]{"2", "3"}));

    @Test
    void autoAndCudaTakeTheTasksFirstGpu() {
        assertEquals(new TaskDevice("cuda:2", null), TaskDevice.of("auto", GPU_2));
        assertEquals(new TaskDevice("cuda:2", null), TaskDevice.of("CUDA", GPU_2));
    }

    @Test
    void withoutAGpuAutoRunsOnTheCpuAndCudaSaysWhy() {
        assertEquals(new TaskDevice("cpu", null), TaskDevice.of("auto", Map.of()));
        TaskDevice cuda = TaskDevice.of("cuda", Map.of());
        assertEquals("cpu", cuda.device());
        assertTrue(cuda.warning().contains("no GPU"), cuda.warning());
    }

    @Test
    void cpuAndANamedDeviceAreTakenAsGiven() {
        assertEquals(new TaskDevice("cpu", null), TaskDevice.of("cpu", GPU_2));
        assertNull(TaskDevice.of("cuda:1", GPU_2).warning());
        assertEquals("cuda:1", TaskDevice.of("cuda:1", GPU_2).device());
    }

    @Test
    void anyOtherDeviceIsRefusedByName() {
        SaliencyException e = assertThrows(SaliencyException.class, () -> TaskDevice.of("gpu", Map.of()));
        assertTrue(e.getMessage().contains("device"), e.getMessage());
    }
}
