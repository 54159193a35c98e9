package io.apexagent.host.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.apexagent.host.config.ApexConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The configuration the application understands: the keys of application.properties, the keys of
 * {@link ApexConfig}, and the environment variables application.properties reads with {@code ${VAR}}.
 * An environment variable is known when it is one of those variables or maps to one of those keys by
 * SmallRye Config's rule (every character other than a letter or digit becomes {@code _}, upper case;
 * {@code %prod.a.b} is {@code _PROD_A_B}).
 */
final class ConfigKeyCatalog {

    static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(:[^}]*)?}");

    private final Set<String> keys = new TreeSet<>();
    private final Set<String> referencedVariables = new TreeSet<>();
    private final Set<String> requiredInProd = new TreeSet<>();

    private ConfigKeyCatalog() {
    }

    static ConfigKeyCatalog load() {
        ConfigKeyCatalog catalog = new ConfigKeyCatalog();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : properties.stringPropertyNames()) {
            catalog.keys.add(key);
            boolean prodOrAll = !key.startsWith("%") || key.startsWith("%prod.");
            Matcher m = EXPRESSION.matcher(properties.getProperty(key));
            while (m.find()) {
                catalog.referencedVariables.add(m.group(1));
                if (prodOrAll && m.group(2) == null && !properties.containsKey("%prod." + key)) {
                    catalog.requiredInProd.add(m.group(1));
                }
            }
        }
        catalog.addMapping(ApexConfig.class.getAnnotation(ConfigMapping.class).prefix(), ApexConfig.class);
        return catalog;
    }

    /** SmallRye Config's environment-variable name for a property key. */
    static String envName(String key) {
        StringBuilder name = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString();
    }

    /** @return the key or variable this environment variable feeds, if the application knows it */
    Optional<String> resolve(String envVar) {
        if (referencedVariables.contains(envVar)) {
            return Optional.of("${" + envVar + "} in " + APPLICATION_PROPERTIES);
        }
        return keys.stream().filter(key -> envName(key).equals(envVar)).findFirst();
    }

    /** @return variables that a %prod (or profile-less) value reads without a default: production must set them */
    Set<String> requiredInProd() {
        return requiredInProd;
    }

    Set<String> keys() {
        return keys;
    }

    private void addMapping(String prefix, Class<?> type) {
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String key = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> group = groupType(method.getGenericReturnType());
            if (group != null) {
                addMapping(key, group);
            } else {
                keys.add(key);
            }
        }
    }

    /** A nested config group (an interface declared in the mapping, possibly inside Optional), or null for a leaf. */
    private static Class<?> groupType(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            type = p.getActualTypeArguments()[0];
        }
        if (type instanceof Class<?> c && c.isInterface() && c.getName().startsWith(ApexConfig.class.getName())) {
            return c;
        }
        return null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
