package io.apexagent.host.plugin.process.child;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.apexagent.plugin.PluginFileTooLargeException;
import io.apexagent.plugin.PluginFiles;

/**
 * Files of a plugin in a child JVM, read and written by the host inside the plugin's data directory with
 * the checks of its own {@code PluginFiles} (permissions, paths, the operator's allowed paths). Contents
 * travel base64-encoded. Blocking, like the in-process API; thread-safe.
 */
final class ChildFiles implements PluginFiles {

    private final HostCalls host;

    ChildFiles(HostCalls host) {
        this.host = host;
    }

    @Override
    public byte[] read(String relativePath) throws IOException {
        return Base64.getDecoder().decode((String) call("files.read", relativePath, null));
    }

    /** The host refuses a larger file from its size, unread, as for an in-process plugin. */
    @Override
    public byte[] read(String relativePath, long maxBytes) throws IOException {
        Map<String, Object> args = new HashMap<>();
        args.put("path", relativePath);
        args.put("maxBytes", maxBytes);
        return Base64.getDecoder().decode((String) callWith("files.read", relativePath, args));
    }

    @Override
    public void write(String relativePath, byte[] content) throws IOException {
        call("files.write", relativePath, Base64.getEncoder().encodeToString(content));
    }

    @Override
    public boolean delete(String relativePath) throws IOException {
        return Boolean.TRUE.equals(call("files.delete", relativePath, null));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> list(String relativeDirectory) throws IOException {
        return (List<String>) call("files.list", relativeDirectory, null);
    }

    private Object call(String service, String path, String data) throws IOException {
        Map<String, Object> args = new HashMap<>();
        args.put("path", path);
        if (data != null) {
            args.put("data", data);
        }
        return callWith(service, path, args);
    }

    private Object callWith(String service, String path, Map<String, Object> args) throws IOException {
        try {
            return host.await(service, args);
        } catch (HostCallException e) {
            if ("not_found".equals(e.errorType())) {
                throw new NoSuchFileException(path);
            }
            if ("too_large".equals(e.errorType()) && e.number("size") >= 0) {
                throw new PluginFileTooLargeException(path, e.number("size"), e.number("limit"));
            }
            if ("io".equals(e.errorType())) {
                throw new IOException(e.getMessage(), e);
            }
            throw e;
        }
    }
}
