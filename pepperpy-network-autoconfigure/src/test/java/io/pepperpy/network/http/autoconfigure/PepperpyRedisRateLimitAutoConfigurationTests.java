package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.pepperpy.network.limit.RateLimitSettings;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.http.RedisServerAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PepperpyRedisRateLimitAutoConfiguration} against a real redis-server.
 */
class PepperpyRedisRateLimitAutoConfigurationTests {

	@RegisterExtension
	static final org.junit.jupiter.api.extension.Extension redis = RedisServerAccess.server();

	@RegisterExtension
	static final org.junit.jupiter.api.extension.Extension tlsRedis = RedisServerAccess.tlsServer();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyRedisRateLimitAutoConfiguration.class,
				PepperpyHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
				JacksonAutoConfiguration.class));

	@Test
	void localBackendByDefaultOpensNoRedisConnection() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(RedisRateLimitConnection.class);
			assertThat(context.getBean(HttpConfig.class).rateLimit()).isEqualTo(RateLimitSettings.DEFAULTS);
		});
	}

	@Test
	void redisBackendConnectsWithSpringDataRedisProperties() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.max-rate-limit=10",
					"pepperpy.network.http.rate-limit.backend=redis",
					"pepperpy.network.http.rate-limit.redis.key=shared:partner",
					"pepperpy.network.http.rate-limit.redis.expected-instances=5",
					"pepperpy.network.http.rate-limit.redis.command-timeout=150",
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + RedisServerAccess.port(redis))
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisRateLimitConnection.class);
				HttpConfig config = context.getBean(HttpClient.class).config();
				assertThat(config.rateLimit().backend()).isEqualTo(RateLimitSettings.Backend.REDIS);
				assertThat(config.effectiveRateLimitKey()).isEqualTo("shared:partner");
				assertThat(config.rateLimit().expectedInstances()).isEqualTo(5);
				assertThat(config.rateLimit().commandTimeout()).hasMillis(150);
				assertThat(context.getBean(RedisRateLimitConnection.class).connection().sync().ping())
					.isEqualTo("PONG");
			});
	}

	@Test
	void bootsConnectionDetailsWinOverTheProperties() {
		// What a @ServiceConnection or Docker Compose gives: details that are not the spring.data.redis.* values.
		DataRedisConnectionDetails details = new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of("127.0.0.1", RedisServerAccess.port(redis));
			}

		};
		this.contextRunner.withBean(DataRedisConnectionDetails.class, () -> details)
			.withPropertyValues("pepperpy.network.http.max-rate-limit=10",
					"pepperpy.network.http.rate-limit.backend=redis", "spring.data.redis.port=1")
			.run((context) -> assertThat(context.getBean(RedisRateLimitConnection.class).connection().sync().ping())
				.isEqualTo("PONG"));
	}

	@Test
	void anSslBundleOfThePropertiesIsTrustedForATlsRedis() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("pepperpy.network.http.max-rate-limit=10",
					"pepperpy.network.http.rate-limit.backend=redis", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + RedisServerAccess.port(tlsRedis), "spring.data.redis.ssl.bundle=redis",
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:"
							+ RedisServerAccess.certificate(tlsRedis))
			.run((context) -> assertThat(context.getBean(RedisRateLimitConnection.class).connection().sync().ping())
				.isEqualTo("PONG"));
	}

	@Test
	void anSslBundleOfBootsConnectionDetailsIsTrustedForATlsRedis() {
		SslBundle bundle = SslBundle.of(new PemSslStoreBundle(null,
				PemSslStoreDetails.forCertificate("file:" + RedisServerAccess.certificate(tlsRedis))));
		DataRedisConnectionDetails details = new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of("127.0.0.1", RedisServerAccess.port(tlsRedis));
			}

			@Override
			public SslBundle getSslBundle() {
				return bundle;
			}

		};
		this.contextRunner.withBean(DataRedisConnectionDetails.class, () -> details)
			.withPropertyValues("pepperpy.network.http.max-rate-limit=10",
					"pepperpy.network.http.rate-limit.backend=redis")
			.run((context) -> assertThat(context.getBean(RedisRateLimitConnection.class).connection().sync().ping())
				.isEqualTo("PONG"));
	}

	@Test
	void aTlsRedisIsNotTrustedWithoutTheBundle() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.max-rate-limit=10",
					"pepperpy.network.http.rate-limit.backend=redis", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + RedisServerAccess.port(tlsRedis), "spring.data.redis.ssl.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("PKIX path building failed"));
	}

	@Test
	void aRedissUrlBesideBootsConnectionDetailsSpeaksTls() {
		// Boot's details carry no bundle for a rediss:// URL; Boot's own connection reads TLS from the URL, so must
		// the limit: the JVM's trust store does not trust the test certificate, so TLS shows as a PKIX failure.
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("pepperpy.network.http.max-rate-limit=10",
					"pepperpy.network.http.rate-limit.backend=redis",
					"spring.data.redis.url=rediss://127.0.0.1:" + RedisServerAccess.port(tlsRedis))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("PKIX path building failed"));
	}

	@Test
	void aMasterReplicaSetFailsStartupSayingTheLimitNeedsTheMaster() {
		DataRedisConnectionDetails details = new DataRedisConnectionDetails() {

			@Override
			public MasterReplica getMasterReplica() {
				return () -> java.util.List.of(new Node("127.0.0.1", 7000));
			}

		};
		this.contextRunner.withBean(DataRedisConnectionDetails.class, () -> details)
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("needs a standalone Redis, one behind Sentinel or a Redis Cluster")
				.hasMessageContaining("spring.data.redis.masterreplica.nodes"));
	}

	@Test
	void aNamedClientAloneCanUseTheRedisBackend() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.clients.partner.max-rate-limit=10",
					"pepperpy.network.http.clients.partner.rate-limit.backend=redis",
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + RedisServerAccess.port(redis))
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisRateLimitConnection.class);
				assertThat(context.getBean("partnerHttpClient", HttpClient.class).config().rateLimit().backend())
					.isEqualTo(RateLimitSettings.Backend.REDIS);
				assertThat(context.getBean("pepperpyHttpClient", HttpClient.class).config().rateLimit().backend())
					.isEqualTo(RateLimitSettings.Backend.LOCAL);
			});
	}

	@Test
	void invalidRedisPropertyFailsStartupNamingIt() {
		this.contextRunner.withPropertyValues("pepperpy.network.http.rate-limit.redis.expected-instances=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("rate-limit.redis.expected-instances must be 1 or more but was 0"));
	}

	@Test
	void bootsMappingOfTheUrlClientNameAndTimeoutReachesTheSharedLimit() {
		// The url's credentials and database, client-name and timeout, read by Boot's DataRedisAutoConfiguration
		// into its connection details and DataRedisProperties: the limit connects as Boot's own connection would.
		assertBootsSettingsReachTheLimit(
				this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class)));
	}

	@Test
	void withoutBootsRedisAutoConfigurationThePropertiesAreReadTheSameWay() {
		assertBootsSettingsReachTheLimit(this.contextRunner);
	}

	private void assertBootsSettingsReachTheLimit(ApplicationContextRunner runner) {
		createUser("limiter", "secret");
		runner
			.withPropertyValues("pepperpy.network.http.max-rate-limit=10",
					"pepperpy.network.http.rate-limit.backend=redis",
					"spring.data.redis.url=redis://limiter:secret@127.0.0.1:" + RedisServerAccess.port(redis) + "/3",
					"spring.data.redis.client-name=pepperpy-limit", "spring.data.redis.timeout=2s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisCommands<String, String> commands = context.getBean(RedisRateLimitConnection.class)
					.connection()
					.sync();
				assertThat(commands.aclWhoami()).isEqualTo("limiter");
				assertThat(commands.clientGetname()).isEqualTo("pepperpy-limit");
				assertThat(commands.clientInfo()).contains(" db=3 ");
				assertThat(context.getBean(RedisRateLimitConnection.class).connection().getTimeout())
					.isEqualTo(Duration.ofSeconds(2));
			});
	}

	private static void createUser(String name, String password) {
		try (RedisRateLimitConnection admin = RedisRateLimitConnection
			.connect(RedisURI.create("127.0.0.1", RedisServerAccess.port(redis)), Duration.ofSeconds(1))) {
			admin.connection()
				.sync()
				.aclSetuser(name, AclSetuserArgs.Builder.on().addPassword(password).allKeys().allCommands());
		}
	}

	@Test
	void aUrlThatIsNotRedisFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis",
					"spring.data.redis.url=http://127.0.0.1:6379")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring.data.redis.url must be redis://")
				.hasMessageContaining("'http://127.0.0.1:6379'"));
	}

	@Test
	void aTimeoutOfZeroFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis", "spring.data.redis.timeout=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring.data.redis.timeout must be positive but was PT0S"));
	}

	@Test
	void anUnknownSslBundleFailsStartupNamingTheProperty() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis",
					"spring.data.redis.ssl.bundle=missing")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("spring.data.redis.ssl.bundle names the SSL bundle 'missing', which "
						+ "spring.ssl.bundle.* does not define"));
	}

	@Test
	void aSentinelNodeWithoutAPortFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis",
					"spring.data.redis.sentinel.master=mymaster", "spring.data.redis.sentinel.nodes=sentinel-1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring.data.redis.sentinel.nodes must list host:port entries")
				.hasMessageContaining("'sentinel-1'"));
	}

	@Test
	void aClusterNodeWithoutAPortFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis",
					"spring.data.redis.cluster.nodes=127.0.0.1:7000,node-2")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring.data.redis.cluster.nodes must list host:port entries")
				.hasMessageContaining("'node-2'"));
	}

	@Test
	void aNegativeClusterMaxRedirectsFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis",
					"spring.data.redis.cluster.nodes=127.0.0.1:7000", "spring.data.redis.cluster.max-redirects=-1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring.data.redis.cluster.max-redirects must be 0 or more but was -1"));
	}

	@Test
	void aZeroClusterRefreshPeriodFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis",
					"spring.data.redis.cluster.nodes=127.0.0.1:7000",
					"spring.data.redis.lettuce.cluster.refresh.period=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring.data.redis.lettuce.cluster.refresh.period must be positive"));
	}

	@Test
	void clusterDetailsWithoutNodesFailStartupNamingTheProperty() {
		DataRedisConnectionDetails details = new DataRedisConnectionDetails() {

			@Override
			public Cluster getCluster() {
				return java.util.List::of;
			}

		};
		this.contextRunner.withBean(DataRedisConnectionDetails.class, () -> details)
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring.data.redis.cluster.nodes must list at least one host:port"));
	}

	@Test
	void withLettuceButWithoutBootsRedisModuleTheRedisBackendFailsStartupSayingWhatIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DataRedisProperties.class))
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("spring.data.redis.*")
				.hasMessageContaining("spring-boot-starter-data-redis"));
	}

	@Test
	void withoutLettuceTheLocalBackendStillWorks() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.withPropertyValues("pepperpy.network.http.max-rate-limit=10")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(RedisRateLimitConnection.class);
				assertThat(context).hasSingleBean(HttpClient.class);
			});
	}

	@Test
	void withoutLettuceTheRedisBackendFailsStartupSayingWhatIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.withPropertyValues("pepperpy.network.http.rate-limit.backend=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("no Redis connection")
				.hasMessageContaining("io.lettuce:lettuce-core"));
	}

}
