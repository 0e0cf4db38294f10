package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.store.UserStore.FailedLogin;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Trusted devices, kept on their user's item: {@code devices} maps the SHA-256 of each device token to its
 * {@code createdAt}, {@code expiresAt} and its own {@code failedLogins} and {@code lockedUntil}. On the user item
 * because a device token belongs to its account alone: deleting the account deletes them with it (nothing of the
 * account is left), a login finds them in the user item it reads anyway, and nothing else ever looks one up. TTL
 * cannot delete an entry of a map, so expiry is checked on every read and expired entries are dropped at the next
 * token issued, as are the oldest beyond the cap per user. Only hashes are stored.
 */
@ApplicationScoped
public class DeviceStore {

    private static final String DEVICES = Attribute.DEVICES.attributeName();
    private static final String CREATED_AT = Attribute.CREATED_AT.attributeName();
    private static final String EXPIRES_AT = Attribute.EXPIRES_AT.attributeName();
    private static final String FAILED_LOGINS = Attribute.FAILED_LOGINS.attributeName();
    private static final String LOCKED_UNTIL = Attribute.LOCKED_UNTIL.attributeName();
    /** Device writes never recreate a deleted user as a stub: only user items carry {@code email}. */
    private static final Condition IS_A_USER = Condition.of("attribute_exists(email)");

    private final ItemTable table;

    DeviceStore(ItemTable table) {
        this.table = table;
    }

    /**
     * Adds a new device token's hash to the user's devices, and drops the one it replaces (if any), the expired ones
     * and the oldest beyond {@code maxPerUser}, in one write. False when the user is gone.
     */
    public boolean issue(StoredUser user, String tokenHash, Instant now, Instant expiresAt,
            Optional<DeviceRecord> replaced, int maxPerUser) {
        AttributeValue entry = AttributeValue.fromM(Map.of(
                CREATED_AT, s(now.toString()),
                EXPIRES_AT, s(expiresAt.toString()),
                FAILED_LOGINS, n(0)));
        return UserStore.retryingRaces(table, "issuing a device token", user.item, () -> false, read -> {
            Map<String, DeviceRecord> devices = read.devices();
            if (devices.isEmpty() && !read.hasDevicesAttribute()) {
                boolean written = table.updateReturning(read.userId(), "SET #devices = :devices",
                        Map.of(":devices", AttributeValue.fromM(Map.of(tokenHash, entry))),
                        IS_A_USER.and(Condition.of("attribute_not_exists(#devices)")),
                        Map.of("#devices", DEVICES)).isPresent();
                return written ? Optional.of(true) : Optional.empty();
            }
            List<String> dropped = new ArrayList<>();
            replaced.map(DeviceRecord::tokenHash).filter(devices::containsKey).ifPresent(dropped::add);
            List<DeviceRecord> kept = new ArrayList<>();
            for (DeviceRecord device : devices.values()) {
                if (dropped.contains(device.tokenHash())) {
                    continue;
                }
                if (!now.isBefore(device.expiresAt())) {
                    dropped.add(device.tokenHash());
                } else {
                    kept.add(device);
                }
            }
            kept.sort(Comparator.comparing(DeviceRecord::createdAt).reversed());
            kept.stream().skip(Math.max(0, maxPerUser - 1)).forEach(oldest -> dropped.add(oldest.tokenHash()));

            Map<String, String> names = new HashMap<>();
            names.put("#devices", DEVICES);
            names.put("#new", tokenHash);
            StringBuilder expression = new StringBuilder("SET #devices.#new = :entry");
            for (int i = 0; i < dropped.size(); i++) {
                names.put("#old" + i, dropped.get(i));
                expression.append(i == 0 ? " REMOVE " : ", ").append("#devices.#old").append(i);
            }
            // other logins may add or drop other entries meanwhile: each write names only its own
            boolean written = table.updateReturning(read.userId(), expression.toString(), Map.of(":entry", entry),
                    IS_A_USER.and(Condition.of("attribute_exists(#devices)")), names).isPresent();
            return written ? Optional.of(true) : Optional.empty();
        });
    }

    /**
     * Counts one more consecutive failed login with this device token and locks it until the moment
     * {@code lockFor} gives for the new count, in one write conditioned on the count read. Returns the count and the
     * lock; a count of 0 when the device is gone (replaced by a racing login, or its user deleted).
     */
    public FailedLogin recordFailedLogin(StoredUser user, DeviceRecord device, IntFunction<Optional<Duration>> lockFor,
            Instant now) {
        FailedLogin gone = new FailedLogin(0, Optional.empty());
        return UserStore.retryingRaces(table, "counting a device's failed login", user.item, () -> gone, read -> {
            DeviceRecord current = read.devices().get(device.tokenHash());
            if (current == null) {
                return Optional.of(gone);
            }
            int count = current.failedLogins() + 1;
            Optional<Instant> lockedUntil = lockFor.apply(count).map(now::plus);
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":count", n(count));
            values.put(":readCount", n(current.failedLogins()));
            lockedUntil.ifPresent(until -> values.put(":until", s(until.toString())));
            Map<String, String> names = new HashMap<>(Map.of("#devices", DEVICES, "#device", device.tokenHash(),
                    "#failed", FAILED_LOGINS));
            lockedUntil.ifPresent(until -> names.put("#locked", LOCKED_UNTIL));
            boolean written = table.updateReturning(read.userId(),
                    "SET #devices.#device.#failed = :count"
                            + (lockedUntil.isPresent() ? ", #devices.#device.#locked = :until" : ""),
                    values, IS_A_USER.and(Condition.of("#devices.#device.#failed = :readCount")), names)
                    .isPresent();
            return written ? Optional.of(new FailedLogin(count, lockedUntil)) : Optional.empty();
        });
    }

    /** The devices of a user item as read (expired ones included), by token hash; empty without the attribute. */
    static Optional<Map<String, DeviceRecord>> devicesOf(String userId, Map<String, AttributeValue> item) {
        AttributeValue devices = item.get(DEVICES);
        if (devices == null || !devices.hasM()) {
            return Optional.empty();
        }
        Map<String, DeviceRecord> found = new LinkedHashMap<>();
        devices.m().forEach((hash, value) -> {
            Map<String, AttributeValue> entry = value.m();
            found.put(hash, new DeviceRecord(hash, userId,
                    Instant.parse(entry.get(CREATED_AT).s()),
                    Instant.parse(entry.get(EXPIRES_AT).s()),
                    entry.containsKey(FAILED_LOGINS) ? Integer.parseInt(entry.get(FAILED_LOGINS).n()) : 0,
                    Optional.ofNullable(entry.get(LOCKED_UNTIL)).map(AttributeValue::s).map(Instant::parse)));
        });
        return Optional.of(found);
    }
}
