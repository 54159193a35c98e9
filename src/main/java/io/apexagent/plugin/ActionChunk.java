package io.apexagent.plugin;

import java.util.Map;

/**
 * One element of a streamed action result. The host numbers the chunks and adds the final record.
 *
 * @param data       a JSON-compatible value
 * @param attributes optional string attributes (e.g. a content type or progress), never null
 */
public record ActionChunk(Object data, Map<String, String> attributes) {

    public ActionChunk {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** @return a chunk carrying {@code data} without attributes */
    public static ActionChunk of(Object data) {
        return new ActionChunk(data, Map.of());
    }
}
