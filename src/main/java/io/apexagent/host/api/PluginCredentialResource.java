package io.apexagent.host.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.apexagent.host.security.credentials.CredentialInfo;
import io.apexagent.host.security.credentials.PluginCredentialStore;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** A plugin's credentials in Vault over HTTP: write new versions, list and delete; values are never returned. */
@Path("/plugins/{id}/credentials")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "plugin credentials")
public class PluginCredentialResource {

    /**
     * The body of a write.
     *
     * @param value the secret; kept out of {@link #toString()} so that it cannot reach a log by accident
     */
    public record CredentialValue(String value) {
        @Override
        public String toString() {
            return "CredentialValue[value=<redacted>]";
        }
    }

    private final PluginCredentialStore credentials;
    private final SecurityIdentity identity;

    PluginCredentialResource(PluginCredentialStore credentials, SecurityIdentity identity) {
        this.credentials = credentials;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Names, current versions and times of a plugin's credentials (never values)")
    public Uni<List<CredentialInfo>> list(@PathParam("id") String id) {
        return credentials.list(id);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Write a new version of a credential ({\"value\": \"...\"}); the loaded plugin is told")
    public Uni<CredentialInfo> write(@PathParam("id") String id, @PathParam("name") String name, CredentialValue body) {
        return credentials.write(id, name, body == null ? null : body.value(), actor());
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a credential with every version")
    public Uni<Void> delete(@PathParam("id") String id, @PathParam("name") String name) {
        return credentials.delete(id, name, actor());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
