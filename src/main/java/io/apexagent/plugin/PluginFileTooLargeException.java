package io.apexagent.plugin;

import java.io.IOException;

/** Thrown by {@link PluginFiles#read(String, long)} for a file larger than the caller's limit; nothing was read. */
public class PluginFileTooLargeException extends IOException {

    private final String path;
    private final long size;
    private final long limit;

    /**
     * @param path  the path as the plugin gave it
     * @param size  the file's size in bytes (or at least this many, for a file that grew while it was read)
     * @param limit the most bytes the caller accepts
     */
    public PluginFileTooLargeException(String path, long size, long limit) {
        this(path, size, limit, null);
    }

    /** @param limitSource what sets the limit, e.g. a setting's name, told in the message; may be null */
    public PluginFileTooLargeException(String path, long size, long limit, String limitSource) {
        super("file '" + path + "' is " + size + " bytes, more than the " + limit + " bytes that may be read at once"
                + (limitSource == null ? "" : " (" + limitSource + ")"));
        this.path = path;
        this.size = size;
        this.limit = limit;
    }

    /** @return the path as the plugin gave it */
    public String path() {
        return path;
    }

    /** @return the file's size in bytes, at least */
    public long size() {
        return size;
    }

    /** @return the most bytes the caller accepts */
    public long limit() {
        return limit;
    }
}
