package io.apexagent.host.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.plugin.PluginStateException;

class StateCodecTest {

    final StateCodec codec = new StateCodec(new ObjectMapper());

    @Test
    void encodesWithSortedKeysAndDecodesBack() {
        String json = codec.encode("p", Map.of("b", List.of(1, "two"), "a", Map.of("z", true, "y", 1.5)), 1000);
        assertThat(json).isEqualTo("{\"a\":{\"y\":1.5,\"z\":true},\"b\":[1,\"two\"]}");
        assertThat(codec.decode("p", json)).isEqualTo(Map.of("b", List.of(1, "two"), "a", Map.of("z", true, "y", 1.5)));
    }

    @Test
    void sizeLimitCountsUtf8BytesAndNamesTheKeyToRaise() {
        Map<String, Object> state = Map.of("t", "é".repeat(10)); // {"t":"..."} = 8 + 20 bytes
        assertThat(codec.encode("p", state, 28)).hasSize(18);
        assertThatThrownBy(() -> codec.encode("p", state, 27))
                .isInstanceOf(PluginStateException.class)
                .hasMessage("state of plugin p is 28 bytes, over its limit of 27 bytes; keep less state or raise "
                        + "apex.state.max-bytes-per-plugin.\"p\"");
    }

    @Test
    void nullOrNonJsonStateIsRefusedClearly() {
        assertThatThrownBy(() -> codec.encode("p", null, 100)).hasMessageContaining("returned null from snapshotState()");
        assertThatThrownBy(() -> codec.encode("p", Map.of("x", new Object()), 100))
                .isInstanceOf(PluginStateException.class).hasMessageContaining("is not JSON-compatible");
        assertThatThrownBy(() -> codec.decode("p", "{nope")).hasMessageContaining("is not valid JSON");
    }
}
