package io.apexagent.host.plugin.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class LineReaderTest {

    @Test
    void splitsLinesAcrossBufferBoundariesAndKeepsUtf8() throws IOException {
        String big = "é".repeat(6000); // 12,000 bytes: spans two 8 KiB reads
        LineReader reader = reader(big + "\n{\"type\":\"pong\"}\nlast", 20_000);
        assertThat(reader.next()).isEqualTo(big);
        assertThat(reader.next()).isEqualTo("{\"type\":\"pong\"}");
        assertThat(reader.next()).isEqualTo("last");
        assertThat(reader.next()).isNull();
    }

    @Test
    void refusesALineLongerThanTheLimitBeforeReadingItAll() {
        LineReader reader = reader("x".repeat(100), 64);
        assertThatThrownBy(reader::next).isInstanceOf(LineReader.OversizedLineException.class)
                .hasMessageContaining("longer than 64 bytes on stdout");
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() throws IOException {
        assertThat(reader("y".repeat(64) + "\n", 64).next()).hasSize(64);
    }

    private static LineReader reader(String text, int max) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }
}
