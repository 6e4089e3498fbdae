package io.pepperpy.network.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.StringCodec;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster on loopback, from the same {@code redis-server} binary as {@link RedisServer}: masters that
 * split the 16384 slots evenly, and optionally one replica of the first master, for a failover. The nodes are
 * started with {@code --cluster-enabled yes}, given their slots with {@code CLUSTER ADDSLOTS} and joined with
 * {@code CLUSTER MEET} from Lettuce, so no {@code redis-cli} is needed; {@link #beforeAll} returns once every node
 * says {@code cluster_state:ok}. {@link #afterAll} kills every node it started.
 * <p>
 * The replica has {@code cluster-replica-no-failover yes}, so it is promoted only when a test says so
 * ({@link #takeOver()}), not when the cluster's own failure detection gets there first.
 */
final class RedisCluster implements BeforeAllCallback, AfterAllCallback {

	private static final int SLOTS = 16384;

	private final int masters;

	private final boolean replica;

	private final List<RedisServer> nodes = new ArrayList<>();

	private final List<StatefulRedisConnection<String, String>> admins = new ArrayList<>();

	private RedisClient adminClient;

	RedisCluster(int masters, boolean replicaOfFirstMaster) {
		this.masters = masters;
		this.replica = replicaOfFirstMaster;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		Path directory = Files.createTempDirectory(Path.of("target"), "redis-cluster").toAbsolutePath();
		int count = this.masters + (this.replica ? 1 : 0);
		List<Integer> ports = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int port = freePortWithFreeBusPort(ports);
			ports.add(port);
			List<String> arguments = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file",
					directory.resolve("nodes-" + port + ".conf").toString(), "--cluster-node-timeout", "1000", "--dir",
					directory.toString()));
			if (i >= this.masters) {
				arguments.addAll(List.of("--cluster-replica-no-failover", "yes"));
			}
			this.nodes.add(new RedisServer(port, arguments));
		}
		for (RedisServer node : this.nodes) {
			node.start();
		}
		this.adminClient = RedisClient.create();
		for (RedisServer node : this.nodes) {
			this.admins.add(this.adminClient.connect(StringCodec.UTF8, RedisURI.create("127.0.0.1", node.port())));
		}
		for (int i = 0; i < this.masters; i++) {
			int from = i * SLOTS / this.masters;
			int to = (i + 1) * SLOTS / this.masters;
			commands(i).clusterAddSlots(IntStream.range(from, to).toArray());
		}
		for (int i = 1; i < count; i++) {
			commands(0).clusterMeet("127.0.0.1", port(i));
		}
		await().alias("every node knows the others").atMost(Duration.ofSeconds(20)).until(() -> IntStream.range(0, count)
			.allMatch((i) -> {
				String nodes = commands(i).clusterNodes();
				return nodes.lines().count() == count && !nodes.contains("handshake") && !nodes.contains("noaddr");
			}));
		if (this.replica) {
			commands(this.masters).clusterReplicate(commands(0).clusterMyId());
			await().alias("the replica in sync with the first master")
				.atMost(Duration.ofSeconds(20))
				.until(() -> commands(this.masters).info("replication").contains("master_link_status:up"));
		}
		await().alias("cluster_state:ok on every node")
			.atMost(Duration.ofSeconds(20))
			.until(() -> IntStream.range(0, count)
				.allMatch((i) -> commands(i).clusterInfo().contains("cluster_state:ok")));
	}

	/**
	 * A port for a node whose cluster bus port (the port + 10000) is free too, and below 65536.
	 */
	private static int freePortWithFreeBusPort(List<Integer> taken) throws IOException {
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 30000);
			if (!taken.contains(port) && free(port) && free(port + 10000)) {
				return port;
			}
		}
		throw new IOException("no free port pair (port, port + 10000) for a cluster node");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.admins.forEach(StatefulRedisConnection::close);
		if (this.adminClient != null) {
			this.adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		this.nodes.forEach(RedisServer::stop);
	}

	int port(int node) {
		return this.nodes.get(node).port();
	}

	/**
	 * Every node, as the seeds of a cluster client.
	 */
	List<RedisURI> seeds() {
		return this.nodes.stream().map((node) -> RedisURI.create("127.0.0.1", node.port())).toList();
	}

	/**
	 * The {@code spring.data.redis.cluster.nodes} value listing every node.
	 */
	String nodesProperty() {
		return String.join(",", this.nodes.stream().map((node) -> "127.0.0.1:" + node.port()).toList());
	}

	/**
	 * A node's commands, on a connection of its own (not the cluster client's).
	 */
	RedisCommands<String, String> commands(int node) {
		return this.admins.get(node).sync();
	}

	/**
	 * A key in a slot of the first master (the one with the replica).
	 */
	String keyOnFirstMaster(String prefix) {
		for (int i = 0;; i++) {
			String key = prefix + i;
			if (SlotHash.getSlot(key) < SLOTS / this.masters) {
				return key;
			}
		}
	}

	/**
	 * Kill the first master, as a crash.
	 */
	void killFirstMaster() {
		this.nodes.get(0).stop();
	}

	/**
	 * Promote the replica with {@code CLUSTER FAILOVER TAKEOVER} (its master is dead, so no agreement is needed) and
	 * wait until it serves the slots.
	 */
	void takeOver() {
		RedisCommands<String, String> replica = commands(this.masters);
		replica.clusterFailover(false, true);
		await().alias("the replica promoted")
			.atMost(Duration.ofSeconds(20))
			.until(() -> replica.info("replication").contains("role:master")
					&& replica.clusterInfo().contains("cluster_state:ok"));
	}

	/**
	 * The node that serves the key now: the live master that does not redirect it.
	 */
	int owner(String key) {
		for (int i = 0; i < this.nodes.size(); i++) {
			if (!this.nodes.get(i).isAlive()) {
				continue;
			}
			try {
				commands(i).exists(key);
				return i;
			}
			catch (io.lettuce.core.RedisCommandExecutionException ex) {
				// MOVED: another node serves it.
			}
		}
		throw new IllegalStateException("no live node serves " + key);
	}

}
