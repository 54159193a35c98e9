package io.apexagent.host.plugin.process;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import io.apexagent.host.plugin.process.child.ChildMain;
import io.apexagent.plugin.BasePlugin;

/**
 * The class path of a child JVM, built from where the host's own loader found the few classes the child
 * needs (its main class, the SDK, Mutiny, Jackson). {@code java.class.path} cannot be used: in the
 * packaged application it is only {@code quarkus-run.jar}, and in tests it is the whole host.
 */
final class ChildClasspath {

    /** One class per jar (or classes folder) the child needs. */
    private static final String[] ANCHORS = {
        ChildMain.class.getName(),
        BasePlugin.class.getName(),
        "io.smallrye.mutiny.Uni",
        "org.jctools.queues.MpscArrayQueue",
        "io.smallrye.common.annotation.CheckReturnValue",
        "com.fasterxml.jackson.databind.ObjectMapper",
        "com.fasterxml.jackson.core.JsonFactory",
        "com.fasterxml.jackson.annotation.JsonProperty",
    };

    private ChildClasspath() {
    }

    /** @return the class path, entries separated by the platform's path separator */
    static String of(ClassLoader loader) {
        Set<Path> roots = new LinkedHashSet<>();
        for (String anchor : ANCHORS) {
            URL url = loader.getResource(anchor.replace('.', '/') + ".class");
            if (url != null) {
                roots.add(root(url, anchor));
            }
        }
        return roots.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static Path root(URL url, String anchor) {
        try {
            if ("jar".equals(url.getProtocol())) {
                String spec = url.getPath();
                return Path.of(new URL(spec.substring(0, spec.indexOf("!/"))).toURI());
            }
            if ("file".equals(url.getProtocol())) {
                Path root = Path.of(url.toURI());
                for (int i = 0; i < anchor.split("\\.").length; i++) {
                    root = root.getParent();
                }
                return root;
            }
        } catch (URISyntaxException | java.net.MalformedURLException e) {
            throw new IllegalStateException("class " + anchor + " is served from " + url
                    + ", which is not a path a child JVM can use", e);
        }
        throw new IllegalStateException("class " + anchor + " is served from " + url
                + "; a child JVM needs it in a jar or a classes folder");
    }
}
