package com.example.shop.auth.token;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jose4j.jwk.RsaJsonWebKey;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.TestSecrets;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * moto (as {@link MotoServer} starts it) with the keys of a signing-key rotation, and the application configured
 * by the profile's arguments: {@code current} names the signing key, {@code previous} the trusted earlier ones
 * (comma separated, possibly none), by letter.
 * <ul>
 * <li>A: the key moto starts with (alias/ecommerce-users-jwt), the one every other test signs with;</li>
 * <li>B: a second RSA_2048 SIGN_VERIFY key, created here;</li>
 * <li>C: a third one, created here and never trusted;</li>
 * <li>gone: the ARN of a key KMS does not have (as after its deletion).</li>
 * </ul>
 * The application gets the keys' ARNs, as the template gives them.
 */
public class RotationKeys extends MotoServer {

    /** Letter → key ARN in the running moto. */
    public static final Map<String, String> ARNS = new ConcurrentHashMap<>();

    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        ARNS.clear();
        try (KmsClient kms = kms()) {
            String a = kms.describeKey(b -> b.keyId(config.get("auth.jwt.kms-key-id"))).keyMetadata().arn();
            ARNS.put("A", a);
            for (String letter : List.of("B", "C")) {
                ARNS.put(letter, kms.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY)
                        .description("rotation test key " + letter)).keyMetadata().arn());
            }
            ARNS.put("gone", a.substring(0, a.indexOf(":key/")) + ":key/00000000-0000-4000-8000-000000000000");
        }
        config.put("auth.jwt.kms-key-id", ARNS.get(args.get("current")));
        String previous = Arrays.stream(args.getOrDefault("previous", "").split(","))
                .filter(letter -> !letter.isBlank())
                .map(ARNS::get)
                .collect(Collectors.joining(","));
        if (!previous.isEmpty()) {
            config.put("auth.jwt.previous-kms-key-ids", previous);
        }
        return config;
    }

    /** A KMS client straight to moto (not through the application's fault proxy). */
    public static KmsClient kms() {
        return KmsClient.builder()
                .endpointOverride(URI.create(MotoServer.endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** The key's public half as KMS gives it. */
    public static RSAPublicKey publicKey(KmsClient kms, String letter) throws Exception {
        byte[] der = kms.getPublicKey(b -> b.keyId(ARNS.get(letter))).publicKey().asByteArray();
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }

    /** The key's RFC 7638 thumbprint, computed by jose4j rather than by the service. */
    public static String thumbprint(KmsClient kms, String letter) throws Exception {
        return new RsaJsonWebKey(publicKey(kms, letter)).calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /**
     * The service's own token issuer, as a deployment whose current key is {@code letter} runs it: the same
     * classes, configured like the application (default issuer, audience and lifetime), with a real KMS client.
     */
    public static AccessTokens issuerWithKey(KmsClient kms, ObjectMapper json, String letter) {
        AuthConfig config = configWithKey(letter);
        return new AccessTokens(new SigningKey(kms, config), json, Clock.systemUTC(), config);
    }

    /** The service's signing key class with {@code letter} as its current key. */
    public static SigningKey signingKey(KmsClient kms, String letter) {
        return new SigningKey(kms, configWithKey(letter));
    }

    /** The application's configuration with {@code current} as the signing key and {@code previous} trusted. */
    public static AuthConfig configWithKey(String current, String... previous) {
        Map<String, String> properties = new HashMap<>();
        properties.put("auth.jwt.kms-key-id", ARNS.get(current));
        if (previous.length > 0) {
            properties.put("auth.jwt.previous-kms-key-ids",
                    Arrays.stream(previous).map(ARNS::get).collect(Collectors.joining(",")));
        }
        return new SmallRyeConfigBuilder()
                .withMapping(AuthConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(AuthConfig.class);
    }

    /** A new access token for the same session as {@code accessToken}, issued with key {@code letter}. */
    @SuppressWarnings("unchecked")
    public static String sameSessionSignedWith(KmsClient kms, ObjectMapper json, String letter, String accessToken)
            throws Exception {
        Map<String, Object> claims = json.readValue(
                Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), Map.class);
        String token = issuerWithKey(kms, json, letter).issue((String) claims.get("sub"), (String) claims.get("email"),
                (Boolean) claims.get("email_verified"), (String) claims.get("sid"), (List<String>) claims.get("amr")).value();
        return TestSecrets.remember(token);
    }

    /** The token's header, unverified. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> header(ObjectMapper json, String token) throws Exception {
        return new LinkedHashMap<>(json.readValue(Base64.getUrlDecoder().decode(token.split("\\.")[0]), Map.class));
    }

    /** The token with its header replaced by {@code header}, signed again by {@code signer}. */
    public static String withHeader(ObjectMapper json, SigningKey signer, String token, Map<String, Object> header)
            throws Exception {
        String signingInput = base64Url(json.writeValueAsBytes(header)) + "." + token.split("\\.")[1];
        byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return TestSecrets.remember(signingInput + "." + base64Url(signature));
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
