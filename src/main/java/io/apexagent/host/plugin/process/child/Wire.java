package io.apexagent.host.plugin.process.child;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON-lines wire format of the process protocol ({@code docs/process-protocol.md}), shared by the host
 * and the child JVM: one JSON object per line, UTF-8, field {@code type} names the message. Needs only
 * Jackson, so the child can load it without the rest of the host. Thread-safe: writes are serialized.
 */
public final class Wire {

    /** Protocol version sent in {@code initialize} and {@code ready}. */
    public static final int VERSION = 1;

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final OutputStream out;

    /** @param out the stream the peer reads (child stdin on the host side, stdout in the child) */
    public Wire(OutputStream out) {
        this.out = out;
    }

    /** Writes one message as one line and flushes it. */
    public void send(Map<String, ?> message) throws IOException {
        write(bytes(message));
    }

    /**
     * Writes one message as one line unless it is longer than {@code maxBytes}.
     *
     * @return false when the message was too long and nothing was written
     */
    public boolean sendAtMost(Map<String, ?> message, int maxBytes) throws IOException {
        byte[] bytes = bytes(message);
        if (bytes.length > maxBytes) {
            return false;
        }
        write(bytes);
        return true;
    }

    private synchronized void write(byte[] line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
    }

    /**
     * @param line one protocol line
     * @return the message
     * @throws IllegalArgumentException when the line is not a JSON object with a text {@code type}
     */
    public static Map<String, Object> parse(String line) {
        Map<String, Object> message;
        try {
            message = JSON.readValue(line, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + preview(line), e);
        }
        if (message == null || !(message.get("type") instanceof String)) {
            throw new IllegalArgumentException("no text field 'type': " + preview(line));
        }
        return message;
    }

    /** @return a value converted to plain JSON types (maps, lists, strings, numbers, booleans) */
    public static Object plain(Object value) {
        return JSON.convertValue(value, Object.class);
    }

    /** @return a value as JSON bytes */
    public static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not convertible to JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @return a value converted to a type, such as a record of the SDK */
    public static <T> T convert(Object value, Class<T> type) {
        return JSON.convertValue(value, type);
    }

    /** @return the first 120 characters of a line, for error messages */
    public static String preview(String line) {
        String oneLine = line.replace('\n', ' ');
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "…";
    }

    /** @return bytes as UTF-8 text */
    public static String text(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
