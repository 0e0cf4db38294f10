package com.example.shop.auth.store;

import static com.example.shop.auth.store.ItemTable.CREATED_AT;
import static com.example.shop.auth.store.ItemTable.ITEM_EXISTS;
import static com.example.shop.auth.store.ItemTable.ITEM_IS_NEW;
import static com.example.shop.auth.store.ItemTable.OWNER_ID;
import static com.example.shop.auth.store.ItemTable.TTL;
import static com.example.shop.auth.store.ItemTable.USER_ID;
import static com.example.shop.auth.store.ItemTable.longOf;
import static com.example.shop.auth.store.ItemTable.n;
import static com.example.shop.auth.store.ItemTable.required;
import static com.example.shop.auth.store.ItemTable.s;
import static com.example.shop.auth.store.ItemTable.stringOf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.store.UserStore.FailedLogin;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Trusted devices ({@code DEVICE#<sha256 of the device token>}): {@code ownerId}, {@code createdAt}, the TTL
 * attribute at the token's end, and the device's own failed-login count and lock. The user item does not list them:
 * a device token grants no access, only its own failure budget, so one left behind by a deleted account (until its
 * TTL) matches nothing. Only the hash is stored.
 */
@ApplicationScoped
public class DeviceStore {

    private static final String FAILED_LOGINS = Attribute.FAILED_LOGINS.attributeName();

    private final ItemTable table;

    DeviceStore(ItemTable table) {
        this.table = table;
    }

    /** Stores a new device token's hash, and deletes the token it replaces (if any) in the same transaction. */
    public DeviceRecord issue(String ownerId, String tokenHash, Instant now, Instant expiresAt,
            Optional<DeviceRecord> replaced) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(USER_ID, s(ItemKind.DEVICE.key(tokenHash)));
        item.put(OWNER_ID, s(ownerId));
        item.put(CREATED_AT, s(now.toString()));
        item.put(TTL, n(expiresAt.getEpochSecond()));
        item.put(FAILED_LOGINS, n(0));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(table.put(item, ITEM_IS_NEW));
        // unconditional: the replaced token was read as this owner's, and a racing login with the same token (two
        // tabs) may have deleted it already; deleting nothing is fine
        replaced.ifPresent(old -> writes.add(table.delete(ItemKind.DEVICE.key(old.tokenHash()))));
        table.transactOrThrow(writes); // the put's condition fails only on a 256-bit collision
        return new DeviceRecord(tokenHash, ownerId, now, expiresAt, 0, Optional.empty());
    }

    /** The device with this token hash, if its item exists and the token has not expired. */
    public Optional<DeviceRecord> find(String tokenHash, Instant now) {
        return table.get(ItemKind.DEVICE.key(tokenHash))
                .map(item -> toDevice(tokenHash, item))
                .filter(device -> now.isBefore(device.expiresAt())); // TTL deletion lags
    }

    /**
     * Counts one more consecutive failed login with this device token and locks it until the moment {@code lockFor}
     * gives for the new count, in one write conditioned on the count read. Returns the count and the lock; a count
     * of 0 when the device is gone (replaced by a racing login).
     */
    public FailedLogin recordFailedLogin(DeviceRecord device, IntFunction<Optional<Duration>> lockFor, Instant now) {
        boolean[] readAgain = {false};
        return table.retryingRaces("counting a device's failed login", () -> {
            Optional<DeviceRecord> read = readAgain[0] ? find(device.tokenHash(), Instant.EPOCH) : Optional.of(device);
            readAgain[0] = true;
            if (read.isEmpty()) {
                return Optional.of(new FailedLogin(0, Optional.empty()));
            }
            int count = read.get().failedLogins() + 1;
            Optional<Instant> lockedUntil = lockFor.apply(count).map(now::plus);
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":count", n(count));
            values.put(":readCount", n(read.get().failedLogins()));
            lockedUntil.ifPresent(until -> values.put(":until", s(until.toString())));
            boolean written = table.updateIf(ItemKind.DEVICE.key(device.tokenHash()),
                    "SET failedLogins = :count" + (lockedUntil.isPresent() ? ", lockedUntil = :until" : ""),
                    values, ITEM_EXISTS.and(Condition.of("failedLogins = :readCount")));
            return written ? Optional.of(new FailedLogin(count, lockedUntil)) : Optional.empty();
        });
    }

    private static DeviceRecord toDevice(String tokenHash, Map<String, AttributeValue> item) {
        return new DeviceRecord(tokenHash, required(item, Attribute.OWNER_ID),
                Instant.parse(required(item, Attribute.CREATED_AT)),
                Instant.ofEpochSecond(longOf(item, Attribute.TTL)),
                (int) longOf(item, Attribute.FAILED_LOGINS),
                stringOf(item, Attribute.LOCKED_UNTIL).map(Instant::parse));
    }
}
