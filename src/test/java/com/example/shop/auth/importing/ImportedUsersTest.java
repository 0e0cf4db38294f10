package com.example.shop.auth.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.LocalAws;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * scripts/import_users.py against the table the service uses: an imported user logs in with the password of
 * its bcrypt hash (made elsewhere, here as $2b$) and reserves its email; a user written by a raw put_item (the
 * specification's "Create User") cannot log in and leaves its email free.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class ImportedUsersTest {

    @Test
    void anImportedUserLogsInWithItsOldPasswordAndKeepsItsEmail() throws Exception {
        String email = Api.uniqueEmail("imported");
        String password = Api.newPassword();
        String hash = "$2b$" + BcryptUtil.bcryptHash(password, 4).substring(4);

        String out = importUsers("{\"email\":\"" + email.toUpperCase() + "\",\"passwordHash\":\"" + hash
                + "\",\"name\":\"Imported User\"}\n");
        assertTrue(out.startsWith("imported " + email + " "), out);

        assertEquals(200, Api.login(email, password).statusCode());
        assertEquals(401, Api.login(email, Api.newPassword()).statusCode());
        assertEquals(409, Api.signup(email, Api.newPassword(), "Someone Else").statusCode());
    }

    @Test
    void aUserWrittenWithoutItsClaimCannotLogInAndDoesNotReserveItsEmail() throws Exception {
        String email = Api.uniqueEmail("raw");
        String password = Api.newPassword();
        String hash = BcryptUtil.bcryptHash(password, 4);
        String userId = java.util.UUID.randomUUID().toString();
        python("import boto3, sys; boto3.resource('dynamodb').Table('ecommerce-users').put_item(Item={"
                + "'userId': sys.argv[1], 'email': sys.argv[2], 'passwordHash': sys.argv[3], 'name': 'Raw',"
                + "'createdAt': '2024-01-01T00:00:00', 'updatedAt': '2024-01-01T00:00:00'})",
                userId, email, hash);

        try {
            assertEquals(401, Api.login(email, password).statusCode());
            assertEquals(201, Api.signup(email, Api.newPassword(), "Second Signup").statusCode());
        } finally {
            // other tests share this table and check that every user has its claim
            python("import boto3, sys; boto3.resource('dynamodb').Table('ecommerce-users')"
                    + ".delete_item(Key={'userId': sys.argv[1]})", userId);
        }
    }

    @Test
    void theImportTakesEmailsByTheSignupRule() throws Exception {
        String tag = java.util.UUID.randomUUID().toString().substring(0, 8);
        String hash = BcryptUtil.bcryptHash(Api.newPassword(), 4);
        Process p = start(new ProcessBuilder(".venv/bin/python", "scripts/import_users.py"));
        p.getOutputStream().write(("{\"email\":\"<old-" + tag + "@shop-test.example.com>\",\"passwordHash\":\"" + hash
                + "\",\"name\":\"Old\"}\n{\"email\":\"old-" + tag + "@b\u00fccher.example\",\"passwordHash\":\"" + hash
                + "\",\"name\":\"Old\"}\n{\"email\":\"old2-" + tag + "@shop-test.example.com\",\"passwordHash\":\"" + hash
                + "\",\"name\":\"Old\\u202eUser\"}\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not finish");
        assertEquals(1, p.exitValue(), out);
        String[] lines = out.split("\n");
        assertEquals("skipped <old-" + tag + "@shop-test.example.com>: invalid email (Email must be a valid address such as "
                + "name@example.com; quoted strings, comments and angle brackets are not allowed.)", lines[0]);
        assertTrue(lines[1].startsWith("imported old-" + tag + "@xn--bcher-kva.example "), out);
        assertEquals("skipped old2-" + tag + "@shop-test.example.com: invalid name (Name must not contain control or "
                + "invisible formatting characters.)", lines[2]);
        assertEquals(409, Api.signup("old-" + tag + "@b\u00fccher.example", Api.newPassword(), "Again").statusCode());
    }

    private static String importUsers(String jsonLines) throws IOException, InterruptedException {
        Process p = start(new ProcessBuilder(".venv/bin/python", "scripts/import_users.py"));
        p.getOutputStream().write(jsonLines.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        return finish(p);
    }

    private static void python(String code, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 3];
        command[0] = ".venv/bin/python";
        command[1] = "-c";
        command[2] = code;
        System.arraycopy(args, 0, command, 3, args.length);
        Process p = start(new ProcessBuilder(command));
        p.getOutputStream().close();
        finish(p);
    }

    private static Process start(ProcessBuilder builder) throws IOException {
        LocalAws.pointAtMoto(builder.environment());
        return builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String finish(Process p) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
