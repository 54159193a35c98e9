package io.apexagent.host.plugin.loader;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Publishing finished cache entries: build in a temporary folder, then move it into place atomically,
 * so that readers (other threads, other replicas sharing the folder) never see a half-written entry.
 */
final class CacheDirs {

    private CacheDirs() {
    }

    /** Moves {@code tmp} to {@code target}; if another writer got there first, keeps theirs. */
    static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            moveNonAtomically(tmp, target);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // Same content key, same content: the other writer's entry is as good as ours.
            deleteRecursively(tmp);
        }
    }

    private static void moveNonAtomically(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            deleteRecursively(tmp);
        }
    }

    /** Deletes a folder and everything below it; a missing folder is fine. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
