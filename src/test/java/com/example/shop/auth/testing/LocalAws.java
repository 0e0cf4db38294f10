package com.example.shop.auth.testing;

import java.util.Map;

/** The environment that points a boto3 program (the project's scripts) at the test's moto, and nowhere else. */
public final class LocalAws {

    private LocalAws() {
    }

    public static void pointAtMoto(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ENDPOINT_URL", MotoServer.endpoint);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    }
}
