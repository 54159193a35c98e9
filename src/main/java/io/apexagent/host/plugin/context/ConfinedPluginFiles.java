package io.apexagent.host.plugin.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginFiles;

/**
 * {@link PluginFiles} confined to one directory: relative paths only, no {@code ..} escape, no symbolic
 * links, and the file permissions checked on every call. The operator's policy may narrow the directory
 * to some of its sub-directories ({@code allowed-paths}). Thread-safe.
 */
public final class ConfinedPluginFiles implements PluginFiles {

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

    @Override
    public byte[] read(String relativePath) throws IOException {
        guard.require(Permission.FILE_SYSTEM_READ, "read file " + relativePath);
        return Files.readAllBytes(resolve(relativePath));
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
