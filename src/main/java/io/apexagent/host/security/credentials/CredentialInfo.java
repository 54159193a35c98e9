package io.apexagent.host.security.credentials;

import java.time.OffsetDateTime;

/**
 * What the API tells about a credential: never its value.
 *
 * @param name           credential name
 * @param currentVersion the version plugins read now (KV v2 version, from 1)
 * @param createdTime    when its first version was written
 * @param updatedTime    when its current version was written
 */
public record CredentialInfo(String name, int currentVersion, OffsetDateTime createdTime, OffsetDateTime updatedTime) {
}
