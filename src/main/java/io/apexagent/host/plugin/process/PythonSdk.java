package io.apexagent.host.plugin.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Python SDK ({@code sdk/python/apexagent_plugin}, packaged into the host under {@code python/}) written
 * out once per host process into the plugin cache, where Python children find it on {@code PYTHONPATH}.
 * Thread-safe.
 */
final class PythonSdk {

    private static final String[] FILES = {"__init__.py", "__main__.py"};
    private final Path root;
    private volatile boolean written;

    /** @param cacheDir the host's plugin cache directory */
    PythonSdk(Path cacheDir) {
        this.root = cacheDir.toAbsolutePath().resolve("python-sdk");
    }

    /** @return the directory to put on {@code PYTHONPATH} */
    synchronized Path directory() {
        if (!written) {
            Path pkg = root.resolve("apexagent_plugin");
            try {
                Files.createDirectories(pkg);
                for (String file : FILES) {
                    try (InputStream in = PythonSdk.class.getResourceAsStream("/python/apexagent_plugin/" + file)) {
                        if (in == null) {
                            throw new IllegalStateException("the host was built without its Python SDK: resource "
                                    + "python/apexagent_plugin/" + file + " is missing (sdk/python in the build)");
                        }
                        Files.copy(in, pkg.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the Python SDK to " + pkg
                        + "; check that apex.plugins.compile-cache-dir is writable", e);
            }
            written = true;
        }
        return root;
    }
}
