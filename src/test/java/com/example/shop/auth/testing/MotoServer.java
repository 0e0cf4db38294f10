package com.example.shop.auth.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts moto (the DynamoDB, KMS and SES endpoint) on a free loopback port through tools/local_aws.py, which
 * also creates the users table from template.yaml, the JWT signing key and the verified sender; stops it after
 * the tests. The virtualenv is made by the build (tools/venv.sh).
 */
public class MotoServer implements QuarkusTestResourceLifecycleManager {

    /** Where tests read moto's endpoint (for direct table and mailbox checks). */
    public static volatile String endpoint;

    /** The application reaches each service through its own fault proxy, which tests can break on purpose. */
    public static final Map<String, FaultProxy> PROXIES = new java.util.concurrent.ConcurrentHashMap<>();

    private Process process;

    @Override
    public Map<String, String> start() {
        Path root = Path.of("").toAbsolutePath();
        Path python = root.resolve(".venv/bin/python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("No virtualenv at " + python + ": run tools/venv.sh (the build does)");
        }
        try {
            Files.createDirectories(root.resolve("target"));
            process = new ProcessBuilder(python.toString(), "tools/local_aws.py", "--port", "0")
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/moto.log")))
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("moto did not start; see target/moto.log");
            }
            JsonNode ready = new ObjectMapper().readTree(line);
            endpoint = ready.get("endpoint").asText();
            String region = ready.get("region").asText();

            Map<String, String> config = new HashMap<>();
            int motoPort = java.net.URI.create(endpoint).getPort();
            for (String client : new String[] { "dynamodb", "kms", "ses" }) {
                FaultProxy proxy = new FaultProxy(motoPort);
                PROXIES.put(client, proxy);
                config.put("quarkus." + client + ".endpoint-override", proxy.endpoint());
                config.put("quarkus." + client + ".aws.region", region);
                config.put("quarkus." + client + ".aws.credentials.type", "static");
                config.put("quarkus." + client + ".aws.credentials.static-provider.access-key-id", "test");
                config.put("quarkus." + client + ".aws.credentials.static-provider.secret-access-key", "test");
            }
            config.put("auth.users-table", ready.get("tableName").asText());
            config.put("auth.jwt.kms-key-id", ready.get("kmsKeyId").asText());
            config.put("auth.mfa.kms-key-id", ready.get("totpKmsKeyId").asText());
            config.put("auth.mail.sender", ready.get("mailSender").asText());
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        for (FaultProxy proxy : PROXIES.values()) {
            try {
                proxy.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        PROXIES.clear();
        if (process == null) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
