package io.apexagent.host.plugin.discovery;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found in a {@code manifest.json}, ready for an error message or a REST body.
 *
 * @param file    the manifest file concerned
 * @param pointer JSON pointer (RFC 6901) of the offending value, {@code ""} for the whole document
 * @param message what is wrong followed by {@code "; expected "} and what is expected
 */
public record ManifestProblem(Path file, String pointer, String message) {

    public ManifestProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    /** Builds a problem from its two halves: what is wrong and what is expected. */
    public static ManifestProblem of(Path file, String pointer, String wrong, String expected) {
        return new ManifestProblem(file, pointer, wrong + "; expected " + expected);
    }

    /** @return {@code <file>: <pointer>: <message>}, the root pointer shown as {@code (root)} */
    @Override
    public String toString() {
        return file + ": " + (pointer.isEmpty() ? "(root)" : pointer) + ": " + message;
    }
}
