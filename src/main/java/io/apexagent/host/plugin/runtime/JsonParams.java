package io.apexagent.host.plugin.runtime;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Action parameters converted from a JSON object, which is kept with them: checking them against the action's
 * {@code parameters_schema} ({@link ActionDispatcher#check}) then reads the tree the request was parsed into,
 * instead of converting the map back into one. Otherwise it is the converted map (mutable, in the JSON's order).
 * The tree is read only before the plugin gets the map, so a plugin that changes its parameters changes nothing
 * that is checked.
 */
public final class JsonParams extends AbstractMap<String, Object> {

    private final Map<String, Object> values;
    private final JsonNode tree;

    /**
     * @param values the parameters as converted from {@code tree}
     * @param tree   the JSON object they were converted from
     */
    public JsonParams(Map<String, Object> values, JsonNode tree) {
        this.values = values;
        this.tree = tree;
    }

    /** @return the JSON object these parameters were converted from */
    JsonNode tree() {
        return tree;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return values.entrySet();
    }

    @Override
    public Object get(Object key) {
        return values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    @Override
    public int size() {
        return values.size();
    }

    @Override
    public Object put(String key, Object value) {
        return values.put(key, value);
    }

    @Override
    public Object remove(Object key) {
        return values.remove(key);
    }
}
