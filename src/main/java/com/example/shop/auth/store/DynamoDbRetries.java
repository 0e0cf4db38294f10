package com.example.shop.auth.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * The application's DynamoDB client: the one Quarkiverse amazon-services builds from {@code quarkus.dynamodb.*}
 * (endpoint, region, credentials, URL-connection HTTP client, API-call timeouts), whose SDK retry strategy also
 * retries {@link TransactionConflictException}.
 * <p>
 * Why: DynamoDB answers a PutItem, UpdateItem or DeleteItem on an item that a transaction is writing with
 * TransactionConflictException (HTTP 400). The write was rejected, not applied, so repeating it is safe whatever it
 * does (even {@code ADD failedLogins :one}). SDK 2.41's strategy for DynamoDB ({@code DynamoDbRetryPolicy}: the
 * legacy retry mode, 9 attempts, exponential backoff from 25 ms with full jitter) retries I/O errors, HTTP
 * 500/502/503/504, throttling and clock-skew codes and a few others ({@code SdkDefaultRetryStrategy},
 * {@code AwsRetryStrategy}, {@code AwsErrorCode}), but not this 400, so one conflicting request would become an error.
 * Still bounded: 9 attempts at most, and {@code quarkus.dynamodb.api-call-timeout} over all of them; what still
 * conflicts then is a 503 with Retry-After (ProblemMappers).
 * <p>
 * How: the extension has no {@code quarkus.dynamodb.*} key for retries, but its DynamoDbClient is a default bean made
 * from an injectable, already configured DynamoDbClientBuilder ("Overriding the client configuration" in its docs),
 * so this producer replaces it. The change is an SDK plugin: plugins run after the SDK resolved DynamoDB's own
 * strategy, so this extends that strategy. (ClientOverrideConfiguration's {@code retryStrategy(Consumer)} would
 * instead start again from the SDK-wide default, 3 attempts from 100 ms.)
 * <p>
 * A transaction that conflicts is a TransactionCanceledException whose reasons say TransactionConflict; the store
 * retries those itself, so they are not added here.
 */
public class DynamoDbRetries {

    private static final Logger LOG = Logger.getLogger(DynamoDbRetries.class);

    @Produces
    @ApplicationScoped
    DynamoDbClient dynamoDb(DynamoDbClientBuilder configuredByTheExtension) {
        return configuredByTheExtension.addPlugin(DynamoDbRetries::retryTransactionConflicts).build();
    }

    void close(@Disposes DynamoDbClient client) {
        client.close();
    }

    static void retryTransactionConflicts(SdkServiceClientConfiguration.Builder config) {
        ClientOverrideConfiguration overrides = config.overrideConfiguration();
        RetryStrategy resolved = overrides.retryStrategy().orElse(null);
        if (resolved == null) {
            LOG.warn("No retry strategy resolved for DynamoDB: TransactionConflictException is not retried");
            return;
        }
        RetryStrategy extended;
        try {
            extended = resolved.toBuilder().retryOnException(TransactionConflictException.class).build();
        } catch (UnsupportedOperationException e) {
            // the pre-2.26 adaptive policy (AWS_RETRY_MODE=adaptive) cannot be extended; it is kept as it is
            LOG.warnf("The DynamoDB retry strategy %s cannot retry TransactionConflictException too",
                    resolved.getClass().getSimpleName());
            return;
        }
        config.overrideConfiguration(overrides.toBuilder().retryStrategy(extended).build());
    }
}
