package io.apexagent.host.plugin.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginFileTooLargeException;
import io.apexagent.plugin.PluginFiles;

/**
 * {@link PluginFiles} confined to one directory: relative paths only, no {@code ..} escape, no symbolic
 * links, and the file permissions checked on every call. The operator's policy may narrow the directory
 * to some of its sub-directories ({@code allowed-paths}). Thread-safe.
 */
public final class ConfinedPluginFiles implements PluginFiles {

    /** The longest array the JVM allocates (a few bytes under Integer.MAX_VALUE, as in the JDK's own readers). */
    static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private final Path root;
    private final PermissionGuard guard;
    private final List<Path> allowed;

    public ConfinedPluginFiles(Path root, PermissionGuard guard) {
        this(root, guard, List.of());
    }

    /** @param allowedPaths sub-directories the calls may reach (relative); empty: the whole root */
    public ConfinedPluginFiles(Path root, PermissionGuard guard, List<String> allowedPaths) {
        this.root = root.toAbsolutePath().normalize();
        this.guard = guard;
        this.allowed = allowedPaths.stream().map(p -> this.root.resolve(p).normalize()).toList();
    }

    /** Reads a file of any size an array holds; a larger one is refused with an error instead of the JVM's. */
    @Override
    public byte[] read(String relativePath) throws IOException {
        return read(relativePath, MAX_ARRAY_BYTES);
    }

    /** Refuses a file larger than {@code maxBytes} from its size, then reads no more than that (it may be growing). */
    @Override
    public byte[] read(String relativePath, long maxBytes) throws IOException {
        guard.require(Permission.FILE_SYSTEM_READ, "read file " + relativePath);
        Path file = resolve(relativePath);
        int limit = (int) Math.min(maxBytes, MAX_ARRAY_BYTES);
        long size = Files.size(file);
        if (size > limit) {
            throw new PluginFileTooLargeException(relativePath, size, limit);
        }
        // One array of the size found (read in pieces, it would be copied once more at the end); then the file may
        // have shrunk (the array is cut) or grown (refused if past the limit, as the size check would have).
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = new byte[(int) size];
            int read = in.readNBytes(content, 0, content.length);
            if (read < content.length) {
                return java.util.Arrays.copyOf(content, read);
            }
            byte[] more = in.readNBytes(limit - read + 1);
            if (more.length == 0) {
                return content;
            }
            if (read + more.length > limit) {
                throw new PluginFileTooLargeException(relativePath, (long) read + more.length, limit);
            }
            byte[] grown = java.util.Arrays.copyOf(content, read + more.length);
            System.arraycopy(more, 0, grown, read, more.length);
            return grown;
        }
    }

    @Override
    public void write(String relativePath, byte[] content) throws IOException {
        guard.require(Permission.FILE_SYSTEM_WRITE, "write file " + relativePath);
        Path target = resolve(relativePath);
        Files.createDirectories(target.getParent());
        Files.write(target, content);
    }

    @Override
    public boolean delete(String relativePath) throws IOException {
        guard.require(Permission.FILE_SYSTEM_WRITE, "delete file " + relativePath);
        return Files.deleteIfExists(resolve(relativePath));
    }

    @Override
    public List<String> list(String relativeDirectory) throws IOException {
        guard.require(Permission.FILE_SYSTEM_READ, "list directory " + relativeDirectory);
        Path dir = resolve(relativeDirectory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Resolves inside the root or throws a security error naming the path. */
    Path resolve(String relativePath) {
        if (relativePath == null || relativePath.isBlank()) {
            return allowedOrDenied(root, "");
        }
        Path candidate = root.resolve(relativePath).normalize();
        if (Path.of(relativePath).isAbsolute() || !candidate.startsWith(root)) {
            guard.deny("path '" + relativePath + "' is outside the plugin's data directory");
        }
        for (Path p = candidate; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                guard.deny("path '" + relativePath + "' goes through a symbolic link, which plugins may not follow");
            }
        }
        if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS) && !candidate.toAbsolutePath().startsWith(root)) {
            guard.deny("path '" + relativePath + "' is outside the plugin's data directory");
        }
        return allowedOrDenied(candidate, relativePath);
    }

    private Path allowedOrDenied(Path candidate, String relativePath) {
        if (!allowed.isEmpty() && allowed.stream().noneMatch(candidate::startsWith)) {
            guard.deny("path '" + relativePath + "' is outside the paths the operator's policy allows: "
                    + allowed.stream().map(a -> root.relativize(a).toString()).toList()
                    + " (apex.security.policy.<id>.allowed-paths)");
        }
        return candidate;
    }
}
