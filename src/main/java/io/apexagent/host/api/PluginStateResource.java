package io.apexagent.host.api;

import java.util.EnumSet;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.apexagent.host.plugin.PluginManager;
import io.apexagent.host.plugin.PluginNotFoundException;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.host.state.PluginStateService;
import io.apexagent.plugin.PluginStateException;
import io.smallrye.mutiny.Uni;

/** A plugin's persisted state over HTTP: its metadata (never the data) and its deletion. */
@Path("/plugins/{id}/state")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "plugin state")
public class PluginStateResource {

    private static final Set<PluginState> RUNNING = EnumSet.of(PluginState.INITIALIZED, PluginState.ACTIVE,
            PluginState.PAUSED, PluginState.STOPPING);

    private final PluginStateService state;
    private final PluginManager plugins;

    PluginStateResource(PluginStateService state, PluginManager plugins) {
        this.state = state;
        this.plugins = plugins;
    }

    @GET
    @Path("/meta")
    @Operation(summary = "Schema version, size, time of the last write and encryption of a plugin's stored state")
    public Uni<PluginStateMetaView> meta(@PathParam("id") String id) {
        return state.meta(id).map(PluginStateMetaView::of);
    }

    @DELETE
    @Operation(summary = "Delete a plugin's stored state (the plugin must not be running)")
    public Uni<Void> delete(@PathParam("id") String id) {
        return Uni.createFrom().deferred(() -> {
            requireNotRunning(id);
            return state.delete(id);
        });
    }

    private void requireNotRunning(String id) {
        PluginState current;
        try {
            current = plugins.get(id).state();
        } catch (PluginNotFoundException e) {
            return; // state left behind by a plugin that is gone
        }
        if (RUNNING.contains(current)) {
            throw new PluginStateException(id, "plugin " + id + " is " + current + ": its in-memory state would be saved"
                    + " again when it stops; stop or unload it before deleting its state", null);
        }
    }
}
