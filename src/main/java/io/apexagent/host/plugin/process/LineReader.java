package io.apexagent.host.plugin.process;

import java.io.IOException;
import java.io.InputStream;

import io.apexagent.host.plugin.process.child.Wire;

/**
 * Reads the lines a child writes on stdout with a size bound, so that a child writing megabytes without a
 * newline costs the host at most {@code maxBytes} of memory before it is stopped. Not thread-safe: one
 * reader thread per child.
 */
final class LineReader {

    /** A line longer than the protocol allows. */
    static final class OversizedLineException extends IOException {
        OversizedLineException(int maxBytes) {
            super("wrote a line longer than " + maxBytes + " bytes on stdout (apex.plugins.process.max-line-bytes);"
                    + " stdout carries protocol messages only, logs go to stderr");
        }
    }

    private final InputStream in;
    private final byte[] line;
    private final byte[] buffer = new byte[8192];
    private int start;
    private int end;

    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.line = new byte[maxBytes];
    }

    /** @return the next line without its end, or null at the end of the stream */
    String next() throws IOException {
        int length = 0;
        while (true) {
            if (start == end) {
                end = in.read(buffer);
                start = 0;
                if (end < 0) {
                    end = 0;
                    return length > 0 ? Wire.text(line, length) : null;
                }
            }
            while (start < end) {
                byte b = buffer[start++];
                if (b == '\n') {
                    return Wire.text(line, length);
                }
                if (length == line.length) {
                    throw new OversizedLineException(line.length);
                }
                line[length++] = b;
            }
        }
    }
}
