package io.apexagent.plugin;

import java.io.IOException;
import java.util.List;

/**
 * File access confined to the plugin's data directory. Paths are relative to it; a path that escapes
 * it (absolute, {@code ..}, symbolic link) is refused with {@link PluginSecurityException}.
 */
public interface PluginFiles {

    /** Reads a file (file_system_read). */
    byte[] read(String relativePath) throws IOException;

    /**
     * Reads a file of at most {@code maxBytes} (file_system_read). The host's implementation refuses a larger file
     * before reading it, so a file grown too large cannot exhaust memory.
     *
     * @throws PluginFileTooLargeException when the file is larger than {@code maxBytes}
     */
    default byte[] read(String relativePath, long maxBytes) throws IOException {
        byte[] content = read(relativePath);
        if (content.length > maxBytes) {
            throw new PluginFileTooLargeException(relativePath, content.length, maxBytes);
        }
        return content;
    }

    /** Writes a file, creating parent directories (file_system_write). */
    void write(String relativePath, byte[] content) throws IOException;

    /** Deletes a file if it exists (file_system_write). */
    boolean delete(String relativePath) throws IOException;

    /** Lists the names in a directory (file_system_read). */
    List<String> list(String relativeDirectory) throws IOException;
}
