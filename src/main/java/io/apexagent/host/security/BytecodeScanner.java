package io.apexagent.host.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.objectweb.asm.ClassReader;

import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginSecurityException;

/**
 * Reads every class of a plugin's class path (class directories and jars, multi-release entries
 * included) and lists the references its grant does not cover, judged by {@link ApiRules}. A member is
 * judged where it would really resolve: through the plugin's own classes and the JDK's supertypes,
 * stopping at the first class declaring it (a plugin method's own body is scanned anyway). Nothing is
 * loaded. When the operator limits the plugin to some hosts, network APIs are refused even with network_access:
 * only {@code context.http()} checks hosts. Not thread-safe; use one per scan.
 */
public final class BytecodeScanner {

    private final Set<Permission> grant;
    private final boolean hostsNarrowed;
    private final Map<String, Optional<Match>> judged = new HashMap<>();
    private ClassHierarchy hierarchy;

    /** @param grant the plugin's effective permissions */
    public BytecodeScanner(Set<Permission> grant) {
        this(grant, false);
    }

    /**
     * @param grant         the plugin's effective permissions
     * @param hostsNarrowed whether the operator limits its network to some hosts (allowed-hosts)
     */
    public BytecodeScanner(Set<Permission> grant, boolean hostsNarrowed) {
        this.grant = Set.copyOf(grant);
        this.hostsNarrowed = hostsNarrowed;
    }

    private record Match(ApiRule rule, String ruledOwner) {
    }

    /**
     * @param classPath class directories and jars
     * @return every violation, in class name order, without duplicates
     * @throws PluginSecurityException when a class file cannot be read (it could not be checked)
     */
    public List<Violation> scan(List<Path> classPath) {
        Map<String, ClassReader> classes = readAll(classPath);
        Map<String, ClassInfo> infos = new HashMap<>();
        classes.forEach((where, reader) -> readable(where, () -> infos.putIfAbsent(reader.getClassName(),
                ClassInfo.read(reader))));
        hierarchy = new ClassHierarchy(infos);
        Set<Violation> violations = new LinkedHashSet<>();
        classes.forEach((where, reader) -> readable(where, () -> reader.accept(new ReferenceCollector(ref -> judge(ref)
                .ifPresent(violations::add)), ClassReader.SKIP_FRAMES)));
        return List.copyOf(violations);
    }

    private static void readable(String where, Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            throw unreadable(where, e);
        }
    }

    private static PluginSecurityException unreadable(String where, RuntimeException e) {
        return new PluginSecurityException(where + " is not a class file the verifier can read (" + e
                + "); a class that cannot be checked is not loaded: rebuild it for Java 17");
    }

    private Optional<Violation> judge(CodeReference ref) {
        String cls = dotted(ref.className());
        if (ref.kind() == CodeReference.Kind.NATIVE) {
            return Optional.of(new Violation(cls, ref.name(), -1, "declares native method " + cls + "." + ref.name(),
                    null, ApiRules.NATIVE_METHOD));
        }
        Optional<Match> match = judged.computeIfAbsent(ref.kind() + " " + ref.owner() + "." + ref.name() + ref.desc(),
                k -> resolve(ref));
        if (match.isEmpty() || !refused(match.get().rule())) {
            return Optional.empty();
        }
        String owner = dotted(ref.owner());
        String ruled = dotted(match.get().ruledOwner());
        ApiRule rule = match.get().rule();
        boolean narrowed = rule.access() == ApiRule.Access.NEEDS && grant.contains(rule.permission());
        return Optional.of(switch (ref.kind()) {
            case EXTENDS -> new Violation(cls, ref.method(), ref.line(), "extends " + owner,
                    ruled.equals(owner) ? null : ruled, rule, narrowed);
            case IMPLEMENTS -> new Violation(cls, ref.method(), ref.line(), "implements " + owner,
                    ruled.equals(owner) ? null : ruled, rule, narrowed);
            default -> new Violation(cls, ref.method(), ref.line(), owner + "." + ref.name(),
                    ruled.equals(owner) ? null : ruled + "." + ref.name(), rule, narrowed);
        });
    }

    private boolean refused(ApiRule rule) {
        return switch (rule.access()) {
            case ALLOWED -> false;
            case NEEDS -> !grant.contains(rule.permission())
                    || (hostsNarrowed && rule.permission() == Permission.NETWORK_ACCESS);
            case NEVER -> true;
        };
    }

    private Optional<Match> resolve(CodeReference ref) {
        String name = ref.name();
        if (ref.kind() == CodeReference.Kind.EXTENDS || ref.kind() == CodeReference.Kind.IMPLEMENTS) {
            List<String> types = ref.kind() == CodeReference.Kind.EXTENDS ? hierarchy.superclassChain(ref.owner())
                    : hierarchy.resolutionOrder(ref.owner());
            return firstRule(types, name, "");
        }
        if (name.equals("<init>")) {
            if (hierarchy.isPluginClass(ref.owner())) {
                return Optional.empty(); // its constructor's own code (super call included) is scanned
            }
            // Constructing a JDK class runs its superclasses' constructors: overload-specific rules
            // apply to the class named, type-wide ones to every ancestor.
            Optional<Match> own = firstRule(List.of(ref.owner()), name, ref.desc());
            return own.isPresent() ? own : firstRule(hierarchy.superclassChain(ref.owner()), name, "");
        }
        for (String type : hierarchy.resolutionOrder(ref.owner())) {
            boolean declares = hierarchy.info(type).map(i -> i.declares(name, ref.desc())).orElse(false);
            if (declares && hierarchy.isPluginClass(type)) {
                return Optional.empty(); // resolves to plugin code, which is scanned itself
            }
            Optional<ApiRule> rule = ApiRules.firstMatch(dotted(type), name, ref.desc());
            if (rule.isPresent()) {
                return Optional.of(new Match(rule.get(), type));
            }
            if (declares) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Match> firstRule(List<String> types, String name, String desc) {
        for (String type : types) {
            Optional<ApiRule> rule = ApiRules.firstMatch(dotted(type), name, desc);
            if (rule.isPresent()) {
                return Optional.of(new Match(rule.get(), type));
            }
        }
        return Optional.empty();
    }

    /** @return class file location → reader, sorted by location */
    private static Map<String, ClassReader> readAll(List<Path> classPath) {
        Map<String, ClassReader> classes = new TreeMap<>();
        for (Path entry : classPath) {
            try {
                if (Files.isDirectory(entry)) {
                    readDirectory(entry, classes);
                } else {
                    readJar(entry, classes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + entry + " to verify it", e);
            }
        }
        return classes;
    }

    private static void readDirectory(Path dir, Map<String, ClassReader> classes) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).forEach(files::add);
        }
        for (Path f : files) {
            classes.put(f.toString(), reader(f.toString(), Files.readAllBytes(f)));
        }
    }

    private static void readJar(Path jar, Map<String, ClassReader> classes) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                if (!e.isDirectory() && e.getName().endsWith(".class")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        String where = jar + "!/" + e.getName();
                        classes.put(where, reader(where, in.readAllBytes()));
                    }
                }
            }
        }
    }

    private static ClassReader reader(String where, byte[] bytes) {
        try {
            return new ClassReader(bytes);
        } catch (RuntimeException e) {
            throw unreadable(where, e);
        }
    }

    static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }
}
