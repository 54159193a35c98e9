package io.apexagent.host.plugin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.quarkus.test.junit.QuarkusTest;

/** Bad plugins fail alone, each with a reason that says what and where; the others keep serving. */
@QuarkusTest
class PluginDiscoveryFailuresIT {

    static final Path DIR = TestPluginDirectory.path();

    @Test
    void brokenManifestIsReportedWithFileAndPointer() {
        TestPlugins.plugin("df-bad-manifest").action("hello")
                .permissions("teleport")
                .javaSource("df.bad.VersionedPlugin", PluginSources.versioned("df.bad", "1.0.0")).writeTo(DIR);
        PluginLifecycleIT.rescan();
        given().get("/plugins/df-bad-manifest").then().statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("reason", allOf(containsString("df-bad-manifest/manifest.json"),
                        containsString("/permissions/0"), containsString("teleport")));
        PluginLifecycleIT.call("echo", "echo", Map.of("text", "ok")).then().statusCode(200);
    }

    @Test
    void compileErrorIsReportedWithFileAndLine() {
        TestPlugins.plugin("df-compile").action("hello")
                .javaSource("df.compile.BrokenPlugin", PluginSources.compileError("df.compile")).writeTo(DIR);
        PluginLifecycleIT.rescan();
        given().get("/plugins/df-compile").then()
                .body("state", equalTo("FAILED"))
                .body("reason", containsString("BrokenPlugin.java:6"));
    }

    @Test
    void missingClassIsReported() {
        TestPlugins.plugin("df-missing-class").action("hello")
                .javaSource("df.missing.VersionedPlugin", PluginSources.versioned("df.missing", "1.0.0"))
                .className("df.missing.NoSuchPlugin").buildJar().writeTo(DIR);
        PluginLifecycleIT.rescan();
        given().get("/plugins/df-missing-class").then()
                .body("state", equalTo("FAILED"))
                .body("reason", containsString("df.missing.NoSuchPlugin"));
    }

    @Test
    void referenceToHiddenHostClassFailsWithAClearMessage() {
        TestPlugins.plugin("df-hidden").action("hello")
                .javaSource("df.hidden.SneakyPlugin", PluginSources.usesHiddenHostClass("df.hidden"))
                .buildJar().writeTo(DIR);
        PluginLifecycleIT.rescan();
        given().get("/plugins/df-hidden").then()
                .body("state", equalTo("FAILED"))
                .body("reason", allOf(containsString("com.fasterxml.jackson"), containsString("io.apexagent.plugin")));
    }

    @Test
    void dependencyCycleFailsBothNamingTheChain() {
        TestPlugins.plugin("df-cycle-a").action("hello").dependsOn("df-cycle-b", "^1.0.0")
                .javaSource("df.cyclea.VersionedPlugin", PluginSources.versioned("df.cyclea", "1.0.0")).writeTo(DIR);
        TestPlugins.plugin("df-cycle-b").action("hello").dependsOn("df-cycle-a", "^1.0.0")
                .javaSource("df.cycleb.VersionedPlugin", PluginSources.versioned("df.cycleb", "1.0.0")).writeTo(DIR);
        PluginLifecycleIT.rescan();
        for (String id : new String[] {"df-cycle-a", "df-cycle-b"}) {
            given().get("/plugins/" + id).then()
                    .body("state", equalTo("FAILED"))
                    .body("reason", allOf(containsString("cycle"), containsString("df-cycle-a -> df-cycle-b")));
        }
        given().post("/plugins/df-cycle-a/start").then().statusCode(409).body("type", equalTo("dependency"));
    }

    @Test
    void incompatibleDependencyVersionFailsOnlyTheDependant() {
        TestPlugins.plugin("df-old-lib").version("1.4.0").action("hello")
                .javaSource("df.oldlib.VersionedPlugin", PluginSources.versioned("df.oldlib", "1.4.0")).writeTo(DIR);
        TestPlugins.plugin("df-needs-new").action("hello").dependsOn("df-old-lib", "^2.0.0")
                .javaSource("df.needsnew.VersionedPlugin", PluginSources.versioned("df.needsnew", "1.0.0")).writeTo(DIR);
        PluginLifecycleIT.rescan();
        given().get("/plugins/df-needs-new").then()
                .body("state", equalTo("FAILED"))
                .body("reason", allOf(containsString("df-old-lib"), containsString("^2.0.0"), containsString("1.4.0")));
        given().get("/plugins/df-old-lib").then().body("state", equalTo("ACTIVE"));
    }
}
