package com.example.shop.auth.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The stream audit function's handler (template.yaml: Handler com.example.shop.auth.stream.StreamAuditHandler::handle).
 *
 * <p>Same package as the HTTP functions, but not a Quarkus Lambda handler: the Quarkus Lambda HTTP extension
 * refuses a second handler class in the application at build time ("Multiple handler classes"), so this is a
 * plain method that AWS's java21 runtime calls itself (its runtime interface client loads any
 * {@code (InputStream, OutputStream, Context)} method by name). It does not start Quarkus: it only needs Jackson,
 * which is in the package's lib/. Hence the function exists in DeploymentMode=jvm only; a native executable has
 * one entry point, the HTTP one.
 *
 * <p>Input: the Lambda DynamoDB stream event, read as plain JSON. Writes one JSON line per record to standard
 * output (CloudWatch Logs); any exception fails the batch, which Lambda retries, bisects, and finally records in
 * the on-failure queue.
 */
public class StreamAuditHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> EVENT = new TypeReference<>() {
    };

    private final PrintStream out;

    public StreamAuditHandler() {
        this(System.out);
    }

    StreamAuditHandler(PrintStream out) {
        this.out = out;
    }

    public void handle(InputStream input, OutputStream output, Context context) throws IOException {
        List<Map<String, Object>> lines = StreamChanges.describe(JSON.readValue(input, EVENT));
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> line : lines) {
            text.append(JSON.writeValueAsString(line)).append('\n');
        }
        out.print(text);
        out.flush();
        output.write(JSON.writeValueAsBytes(Map.of("audited", lines.size())));
        output.flush();
    }

    /** For tests and local runs: the audit lines of one event, as the function writes them. */
    public static String linesOf(String eventJson) throws IOException {
        var buffer = new java.io.ByteArrayOutputStream();
        new StreamAuditHandler(new PrintStream(buffer, true, StandardCharsets.UTF_8))
                .handle(new java.io.ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)),
                        OutputStream.nullOutputStream(), null);
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
