package io.apexagent.host.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script of deploy/ and keeps its exit code and its output (stdout and stderr together). */
record DeployScript(int exitCode, String output) {

    /**
     * @param script a file name under deploy/
     * @return how it ended; the first run of a script may build its tool with Go, so up to 8 minutes are allowed
     */
    static DeployScript run(String script, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", DeployFiles.DEPLOY.resolve(script).toString()));
        command.addAll(args);
        Path log = Files.createTempFile(script, ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(8, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("deploy/" + script + " did not finish in 8 minutes: " + Files.readString(log));
            }
            return new DeployScript(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
