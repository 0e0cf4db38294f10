package bench;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@Path("/item")
public class ItemResource {

    private final DynamoDbClient dynamo;
    private final String table;
    /** The table's partition key, as the service's template declares it (bench/lambda_rie.py passes it). */
    private final String key;

    public ItemResource(DynamoDbClient dynamo, @ConfigProperty(name = "baseline.table") String table,
            @ConfigProperty(name = "baseline.key") String key) {
        this.dynamo = dynamo;
        this.table = table;
        this.key = key;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String item() {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of(key, AttributeValue.fromS("baseline")))).item();
        return item.isEmpty() ? "none" : "found";
    }
}
