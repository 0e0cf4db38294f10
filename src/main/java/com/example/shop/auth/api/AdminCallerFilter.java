package com.example.shop.auth.api;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.example.shop.auth.AuthConfig;

import io.quarkus.runtime.LaunchMode;

/**
 * For {@link AdminOnly} resources: the event must name an IAM caller ({@code requestContext.authorizer.iam}), which
 * API Gateway sets only after it verified a SigV4 signature of a principal allowed {@code execute-api:Invoke} on
 * the route. Anything else is a 403, so the function refuses even if a route were ever left open by mistake. In dev
 * mode only, {@code auth.admin.local-caller-arn} stands in for the caller (the local run has no API Gateway).
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminCallerFilter implements ContainerRequestFilter {

    @Inject
    Instance<APIGatewayV2HTTPEvent.RequestContext> gatewayContext;

    private final AdminCaller caller;
    /** Read per request: filters are built before the runtime configuration exists. */
    private final Instance<AuthConfig> config;

    public AdminCallerFilter(AdminCaller caller, Instance<AuthConfig> config) {
        this.caller = caller;
        this.config = config;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String arn = iamCaller().or(this::localCaller).orElseThrow(AdminCallerRequiredException::new);
        caller.set(arn);
    }

    private Optional<String> localCaller() {
        return LaunchMode.current() == LaunchMode.DEVELOPMENT ? config.get().admin().localCallerArn() : Optional.empty();
    }

    private Optional<String> iamCaller() {
        if (!gatewayContext.isResolvable()) {
            return Optional.empty();
        }
        var authorizer = gatewayContext.get().getAuthorizer();
        var iam = authorizer == null ? null : authorizer.getIam();
        return Optional.ofNullable(iam == null ? null : iam.getUserArn()).filter(arn -> arn.startsWith("arn:"));
    }
}
