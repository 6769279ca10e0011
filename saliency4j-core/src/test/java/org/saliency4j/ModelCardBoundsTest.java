package org.saliency4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saliency4j.internal.torch.HostileModels;

/** A model card is read with a hard bound, whatever size the zip declares for it. */
class ModelCardBoundsTest {
    @TempDir
    Path dir;

    @Test
    void aCardDeclaringAHugeSizeIsRefusedBeforeInflating() throws Exception {
        Path bomb = dir.resolve("honest.pt");
        HostileModels.cardBomb(bomb, 16L << 20);
        SaliencyException e = assertThrows(SaliencyException.class, () -> ModelCard.read(bomb));
        assertEquals(SaliencyException.Kind.MODEL, e.kind());
        assertEquals(bomb.toString(), e.input());
        assertTrue(e.problem().contains("too large: " + (16L << 20) + " bytes"), e.problem());
    }

    @Test
    void aCardDeclaringASmallSizeIsCountedWhileInflating() throws Exception {
        Path bomb = dir.resolve("lying.pt");
        HostileModels.cardBomb(bomb, 16L << 20);
        declareSize(bomb, "extra/saliency4j.json", 100);
        SaliencyException e = assertThrows(SaliencyException.class, () -> ModelCard.read(bomb));
        assertEquals(SaliencyException.Kind.MODEL, e.kind());
        assertTrue(e.problem().contains("too large: more than " + ModelCard.MAX_BYTES + " bytes inflated"),
                e.problem());
    }

    /** Rewrites the uncompressed size that the zip's central directory declares for the entry ending in name. */
    private static void declareSize(Path zip, String name, int size) throws Exception {
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        boolean found = false;
        for (int at = 0; at + 46 < bytes.length; at++) {
            if (buffer.getInt(at) != 0x02014b50) {
                continue;
            }
            int nameLength = Short.toUnsignedInt(buffer.getShort(at + 28));
            String entry = new String(bytes, at + 46, nameLength, StandardCharsets.UTF_8);
            if (entry.endsWith(name)) {
                buffer.putInt(at + 24, size);
                found = true;
            }
        }
        assertTrue(found, "no central directory entry for " + name);
        Files.write(zip, bytes);
    }
}
