package io.apexagent.plugin;

import io.smallrye.mutiny.Uni;

/** On-demand persistence of a {@link StatefulPlugin}'s state (state_access). */
public interface PluginStateStore {

    /** Takes a snapshot now and persists it (encrypted); the host also saves on stop, unload and reload. */
    Uni<Void> save();
}
