package org.saliency4j.internal.torch;

import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.ExtraFilesMap;
import org.bytedeco.pytorch.JitModule;
import org.saliency4j.ModelCard;
import org.saliency4j.SaliencyException;

/** Writes TorchScript files with saliency4j's model card inside, where {@link ModelCard#read} finds it. */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * Saves {@code module} to {@code file} with {@code card} as the extra file {@value ModelCard#EXTRA_FILE}.
     *
     * @param card the model card, or null for none
     * @throws SaliencyException naming the file when it cannot be written
     */
    public static void save(JitModule module, Path file, ModelCard card) {
        ExtraFilesMap extra = new ExtraFilesMap();
        if (card != null) {
            extra.put(new BytePointer(ModelCard.EXTRA_FILE), card.toJson());
        }
        try {
            module.save(file.toString(), extra);
        } catch (RuntimeException e) {
            throw new SaliencyException(SaliencyException.Kind.OUTPUT, file.toString(),
                    "cannot be written (" + NativeErrors.summary(e) + ")");
        }
    }
}
