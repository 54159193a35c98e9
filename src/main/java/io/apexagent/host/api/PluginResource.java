package io.apexagent.host.api;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.cluster.ClusterCommands;
import io.apexagent.host.plugin.ActionResult;
import io.apexagent.host.plugin.PluginManager;
import io.apexagent.host.plugin.PluginSnapshot;
import io.apexagent.host.plugin.runtime.PluginDataJson;
import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginLifecycleException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Plugins over HTTP: the registry, lifecycle operations and action calls. */
@Path("/plugins")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "plugins")
public class PluginResource {

    /** Name of the last event of an action stream that failed after it started; its data is an {@link ErrorResponse}. */
    public static final String STREAM_ERROR_EVENT = "action-error";

    private final PluginManager plugins;
    private final ClusterCommands cluster;
    private final ObjectMapper json;

    PluginResource(PluginManager plugins, ClusterCommands cluster, ObjectMapper json) {
        this.plugins = plugins;
        this.cluster = cluster;
        this.json = json;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Every known plugin with its state")
    public List<PluginView> list() {
        return plugins.list().stream().map(PluginView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "One plugin: versions, state, reason, permissions, dependencies, actions")
    public PluginView get(@PathParam("id") String id) {
        return PluginView.of(plugins.get(id));
    }

    @POST
    @Path("/rescan")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Scan the plugin directories again")
    public Uni<List<PluginView>> rescan() {
        return plugins.rescan().map(list -> list.stream().map(PluginView::of).toList());
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Path("/{id}/{operation: load|start|pause|resume|stop|reload|unload}")
    @Operation(summary = "Apply a lifecycle operation (load, start, pause, resume, stop, reload, unload); "
            + "all but load apply to every replica unless scope=local")
    public Uni<PluginView> operate(@PathParam("id") String id, @PathParam("operation") String operation,
            @QueryParam("scope") @DefaultValue("cluster") String scope) {
        String reason = operation + " requested over REST";
        if (!"cluster".equals(scope) && !"local".equals(scope)) {
            throw new PluginLifecycleException(id, "scope '" + scope + "' is not cluster or local", null);
        }
        if ("cluster".equals(scope) && ClusterCommands.OPERATIONS.contains(operation)) {
            return cluster.apply(id, operation, reason).map(PluginView::of);
        }
        Uni<PluginSnapshot> result = switch (operation) {
            case "load" -> plugins.load(id, reason);
            case "start" -> plugins.start(id, reason);
            case "pause" -> plugins.pause(id, reason);
            case "resume" -> plugins.resume(id, reason);
            case "stop" -> plugins.stop(id, reason);
            case "reload" -> plugins.reload(id, reason);
            case "unload" -> plugins.unload(id, reason);
            default -> Uni.createFrom().failure(new PluginLifecycleException(id, "unknown operation " + operation, null));
        };
        return result.map(PluginView::of);
    }

    @GET
    @Path("/{id}/actions")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "The actions of a plugin with their schemas")
    public List<ActionView> actions(@PathParam("id") String id) {
        PluginSnapshot s = plugins.get(id);
        return s.manifest() == null ? List.of() : s.manifest().actions().stream().map(ActionView::of).toList();
    }

    @POST
    @Path("/{id}/actions/{action}")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run an action: JSON parameters in, JSON result out")
    @APIResponse(responseCode = "200", description = "The action's result", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActionResult.class)))
    public Uni<Response> execute(@PathParam("id") String id, @PathParam("action") String action,
            Map<String, Object> params) {
        // Written here, so that a result that is not JSON is the plugin's error (500 with the usual error body).
        return plugins.execute(id, action, params).map(result -> Response.ok(
                PluginDataJson.write(json, result, id, action, "the result"), MediaType.APPLICATION_JSON_TYPE).build());
    }

    @POST
    @Path("/{id}/actions/{action}/stream")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run a streaming action; each chunk is one Server-Sent Event, and a failure after the stream "
            + "started is a last event named '" + STREAM_ERROR_EVENT + "' with the error as JSON")
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @PathParam("action") String action,
            Map<String, Object> params, @Context Sse sse) {
        // Checked before the event stream starts, so a refusal is an error status, not a broken 200 stream.
        plugins.requireCallable(id, action, params, true);
        // Once the 200 and its headers are out, a failure can only be told in the stream: without this last event the
        // connection was just cut (the call refused as busy, a time limit, the plugin failing mid-stream).
        return plugins.stream(id, action, params)
                .map(chunk -> sse.newEventBuilder().data(String.class, PluginDataJson.write(json, chunk, id, action,
                        "a chunk")).mediaType(MediaType.APPLICATION_JSON_TYPE).build())
                .onFailure().recoverWithItem(e -> sse.newEventBuilder().name(STREAM_ERROR_EVENT)
                        .data(ErrorResponse.class, errorOf(id, e)).mediaType(MediaType.APPLICATION_JSON_TYPE).build());
    }

    private static ErrorResponse errorOf(String pluginId, Throwable failure) {
        return failure instanceof PluginException e ? PluginExceptionMapper.bodyOf(e)
                : new ErrorResponse(PluginException.errorTypeOf(failure), String.valueOf(failure.getMessage()), pluginId,
                        List.of());
    }
}
