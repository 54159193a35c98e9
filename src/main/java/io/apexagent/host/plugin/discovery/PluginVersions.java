package io.apexagent.host.plugin.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

import io.apexagent.plugin.PluginConfigurationException;

/**
 * Semantic versions and npm-style ranges ({@code ^}, {@code ~}, {@code >=}, {@code 1.x}, hyphen, {@code ||})
 * on top of semver4j. Thread-safe.
 *
 * <p>semver4j silently drops the parts of a range it cannot read ({@code "1.2.3 || foo"} becomes
 * {@code =1.2.3}), so {@link #isValidRange} asks it to read each comparator on its own and refuses the range
 * when any of them yields nothing. It also reads a bare {@code x} as "nothing", so a lone wildcard is handed
 * to it as {@code *}.
 *
 * <p>semver4j parses with regular expressions, and discovery asks about the same few strings thousands of times
 * (every dependant's range against every candidate), so parsed versions and ranges are memoized by their text.
 */
public final class PluginVersions {

    private static final Pattern OPERATOR = Pattern.compile("^(<=|>=|<|>|=|~>|~|\\^|v)$");
    private static final Pattern LONE_WILDCARD = Pattern.compile("^[xX*](\\.[xX*]){0,2}$");

    /** Beyond this many distinct strings a memo starts over: manifests name few, a flood only costs re-parsing. */
    private static final int MEMO_LIMIT = 4096;
    private static final Map<String, Optional<Semver>> VERSIONS = new ConcurrentHashMap<>();
    /** Valid ranges parsed, empty for invalid ones. Never handed out: a {@link RangesList} is mutable. */
    private static final Map<String, Optional<RangesList>> RANGES = new ConcurrentHashMap<>();

    private PluginVersions() {
    }

    /** @return whether {@code version} is a valid semantic version, e.g. {@code 1.4.0} or {@code 2.0.0-rc.1} */
    public static boolean isValid(String version) {
        return version != null && semver(version).isPresent();
    }

    /**
     * @return the parsed version
     * @throws PluginConfigurationException when it is not a semantic version
     */
    public static Semver parse(String version) {
        Semver parsed = version == null ? null : semver(version).orElse(null);
        if (parsed == null) {
            throw new PluginConfigurationException("'" + version
                    + "' is not a semantic version; expected MAJOR.MINOR.PATCH such as 1.4.0");
        }
        return parsed;
    }

    /** Orders versions by semver precedence (build metadata ignored); both must be valid. */
    public static int compare(String left, String right) {
        return parse(left).compareTo(parse(right));
    }

    /** Comparator by semver precedence, lowest first. */
    public static Comparator<String> ascending() {
        return PluginVersions::compare;
    }

    /** @return whether {@code range} is a non-empty npm-style range every part of which semver4j understands */
    public static boolean isValidRange(String range) {
        return range != null && parsedRange(range).isPresent();
    }

    private static Optional<RangesList> parsedRange(String range) {
        return memo(RANGES, range, r -> isReadable(r) ? Optional.of(RangesListFactory.create(normaliseAlternatives(r)))
                : Optional.empty());
    }

    private static boolean isReadable(String range) {
        if (range.isBlank()) {
            return false;
        }
        for (String alternative : range.split("\\|\\|", -1)) {
            List<String> comparators = comparators(alternative);
            if (comparators.isEmpty()) {
                return false;
            }
            for (String comparator : comparators) {
                if (RangesListFactory.create(normalise(comparator)).get().isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @return the parsed range
     * @throws PluginConfigurationException when it is not a valid range
     */
    public static RangesList range(String range) {
        if (!isValidRange(range)) {
            throw invalidRange(range);
        }
        return RangesListFactory.create(normaliseAlternatives(range));
    }

    /** @return whether {@code version} satisfies {@code range}; pre-releases only match ranges naming them */
    public static boolean satisfies(String version, String range) {
        return parse(version).satisfies(memoizedRange(range));
    }

    /** @return the highest of {@code candidates} satisfying {@code range}, if any */
    public static Optional<String> highestSatisfying(Collection<String> candidates, String range) {
        RangesList parsed = memoizedRange(range);
        return candidates.stream()
                .filter(candidate -> parse(candidate).satisfies(parsed))
                .max(ascending());
    }

    /**
     * Picks a version: the pinned one when given (and present and in range), else the highest in range.
     *
     * @param candidates the versions available
     * @param range      the range asked for ({@code *} for any)
     * @param pinned     an operator's pin, empty for none
     * @return the chosen version, empty when none fits
     */
    public static Optional<String> select(Collection<String> candidates, String range, Optional<String> pinned) {
        if (pinned.isPresent()) {
            return candidates.stream()
                    .filter(candidate -> parse(candidate).isEqualTo(parse(pinned.get())))
                    .filter(candidate -> satisfies(candidate, range))
                    .findFirst();
        }
        return highestSatisfying(candidates, range);
    }

    /** The memoized range, for reading only. */
    private static RangesList memoizedRange(String range) {
        return (range == null ? Optional.<RangesList>empty() : parsedRange(range)).orElseThrow(() -> invalidRange(range));
    }

    private static PluginConfigurationException invalidRange(String range) {
        return new PluginConfigurationException(notARange(range));
    }

    /** @return the message that says {@code range} is not a valid range, and what one looks like */
    public static String notARange(String range) {
        return "'" + range + "' is not a semver range;"
                + " expected an npm-style range such as ^1.2.0, ~1.2, >=1.0.0 <2.0.0, 1.x, 1.0.0 - 2.0.0 or ^1 || ^2";
    }

    private static Optional<Semver> semver(String version) {
        return memo(VERSIONS, version, v -> Optional.ofNullable(Semver.parse(v)));
    }

    private static <T> T memo(Map<String, T> memo, String key, Function<String, T> parse) {
        T value = memo.get(key);
        if (value == null) {
            if (memo.size() >= MEMO_LIMIT) {
                memo.clear();
            }
            value = memo.computeIfAbsent(key, parse);
        }
        return value;
    }

    private static List<String> comparators(String alternative) {
        // Joins an operator written apart from its version (">= 1.0") and the three words of a hyphen range.
        String[] words = alternative.trim().split("\\s+");
        List<String> comparators = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if (words[i].isEmpty()) {
                continue;
            }
            if (i + 2 < words.length && words[i + 1].equals("-")) {
                comparators.add(words[i] + " - " + words[i + 2]);
                i += 2;
            } else if (OPERATOR.matcher(words[i]).matches() && i + 1 < words.length) {
                comparators.add(words[i] + words[i + 1]);
                i++;
            } else {
                comparators.add(words[i]);
            }
        }
        return comparators;
    }

    private static String normaliseAlternatives(String range) {
        List<String> alternatives = new ArrayList<>();
        for (String alternative : range.split("\\|\\|", -1)) {
            alternatives.add(String.join(" ", comparators(alternative).stream().map(PluginVersions::normalise).toList()));
        }
        return String.join(" || ", alternatives);
    }

    private static String normalise(String comparator) {
        return LONE_WILDCARD.matcher(comparator).matches() ? "*" : comparator;
    }
}
