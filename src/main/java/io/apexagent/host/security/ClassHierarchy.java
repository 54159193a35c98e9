package io.apexagent.host.security;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.objectweb.asm.ClassReader;

/**
 * Supertypes and declared members of the plugin's own classes and of the JDK's (read from the
 * platform's class files, never loaded), so that a reference can be followed to the member that would
 * really run. Classes of neither kind (SDK, Mutiny, missing) end the walk. Not thread-safe; the JDK
 * cache it shares is.
 */
final class ClassHierarchy {

    private static final Map<String, Optional<ClassInfo>> JDK = new ConcurrentHashMap<>();

    private final Map<String, ClassInfo> pluginClasses;

    ClassHierarchy(Map<String, ClassInfo> pluginClasses) {
        this.pluginClasses = pluginClasses;
    }

    /** @return the plugin's class or the JDK's of this internal name, if either has it */
    Optional<ClassInfo> info(String internalName) {
        ClassInfo own = pluginClasses.get(internalName);
        if (own == null || internalName.startsWith("java/")) { // no loader but the JDK's may define java.*
            Optional<ClassInfo> jdk = JDK.computeIfAbsent(internalName, ClassHierarchy::readJdkClass);
            return jdk.isPresent() ? jdk : Optional.ofNullable(own);
        }
        return Optional.of(own);
    }

    boolean isPluginClass(String internalName) {
        return pluginClasses.containsKey(internalName);
    }

    /** @return the class and its superclasses, nearest first (what constructing it runs) */
    List<String> superclassChain(String internalName) {
        List<String> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String c = internalName; c != null && seen.add(c); c = info(c).map(ClassInfo::superName).orElse(null)) {
            chain.add(c);
        }
        return chain;
    }

    /** @return the class, its superclasses, then every interface: the order member resolution looks in */
    List<String> resolutionOrder(String internalName) {
        List<String> order = superclassChain(internalName);
        Set<String> seen = new HashSet<>(order);
        Deque<String> interfaces = new ArrayDeque<>();
        order.forEach(c -> info(c).ifPresent(i -> interfaces.addAll(i.interfaces())));
        while (!interfaces.isEmpty()) {
            String i = interfaces.poll();
            if (seen.add(i)) {
                order.add(i);
                info(i).ifPresent(x -> interfaces.addAll(x.interfaces()));
            }
        }
        return order;
    }

    private static Optional<ClassInfo> readJdkClass(String internalName) {
        if (!internalName.startsWith("java/") && !internalName.startsWith("javax/") && !internalName.startsWith("jdk/")
                && !internalName.startsWith("sun/") && !internalName.startsWith("com/sun/")) {
            return Optional.empty();
        }
        try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(internalName + ".class")) {
            return in == null ? Optional.empty() : Optional.of(ClassInfo.read(new ClassReader(in)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable JDK class: the rules still see the reference's own owner
        }
    }
}
