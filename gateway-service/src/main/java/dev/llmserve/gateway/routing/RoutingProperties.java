package dev.llmserve.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * Routing settings ({@code llmserve.gateway.routing.*}).
 *
 * <p>
 * With {@code controller} set, the table comes from that controller's
 * {@code Routing.Watch} stream and the static table is ignored entirely. Otherwise the
 * static table maps a deployment to its replicas' gRPC addresses, either as one
 * comma-separated value
 * ({@code llmserve.gateway.routing.static.tinyllama=127.0.0.1:9101,127.0.0.1:9102}) or as
 * a YAML list. A deployment with an empty value has no replicas and is not served.
 *
 * @param staticReplicas deployment name to {@code host:port} addresses of its replicas
 * @param loadPollInterval how often every replica's {@code GetLoad} is called
 * @param loadPollTimeout the deadline of one {@code GetLoad} call
 * @param ejection local outlier detection ({@link OutlierEjector})
 * @param controller the controller's gRPC {@code host:port}; {@code null} for static
 * routes
 * @param watch how the controller's snapshot stream is watched
 */
@Validated
@ConfigurationProperties("llmserve.gateway.routing")
public record RoutingProperties(@Name("static") @DefaultValue Map<String, List<String>> staticReplicas,
		@DefaultValue("1s") @NotNull Duration loadPollInterval,
		@DefaultValue("500ms") @NotNull Duration loadPollTimeout, @DefaultValue @Valid Ejection ejection,
		String controller, @DefaultValue @Valid Watch watch) {

	/** The property that switches routing to the controller's snapshots. */
	public static final String CONTROLLER = "llmserve.gateway.routing.controller";

	public RoutingProperties {
		requirePositive("loadPollInterval", loadPollInterval);
		requirePositive("loadPollTimeout", loadPollTimeout);
		if (controller != null) {
			HostAndPort.parse(CONTROLLER, controller.trim());
		}
	}

	/** The controller's address; only when {@link #controller()} is set. */
	public HostAndPort controllerAddress() {
		return HostAndPort.parse(CONTROLLER, Objects.requireNonNullElse(this.controller, "").trim());
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("%s: %s (expected: > 0)".formatted(name, value));
		}
	}

	/**
	 * Outlier ejection ({@code llmserve.gateway.routing.ejection.*}): a replica that
	 * cannot be reached, sends no first token in time, or fails {@code consecutiveErrors}
	 * calls in a row is skipped for a cool-down that doubles with each ejection in a row,
	 * then gets one trial request.
	 *
	 * @param enabled whether replicas are ejected at all
	 * @param baseCooldown the first cool-down
	 * @param maxCooldown the longest cool-down; a replica that stayed in service this
	 * long starts again at {@code baseCooldown}
	 * @param consecutiveErrors server-side failures in a row that eject a replica
	 * @param maxEjectionPercent the share of a deployment's ready replicas that may be
	 * ejected at once, rounded down (50: one of two or three, never the only one)
	 */
	public record Ejection(@DefaultValue("true") boolean enabled, @DefaultValue("5s") @NotNull Duration baseCooldown,
			@DefaultValue("2m") @NotNull Duration maxCooldown, @DefaultValue("5") @Min(1) int consecutiveErrors,
			@DefaultValue("50") @Min(0) @Max(100) int maxEjectionPercent) {

		public Ejection {
			requirePositive("ejection.baseCooldown", baseCooldown);
			if (maxCooldown.compareTo(baseCooldown) < 0) {
				throw new IllegalArgumentException(
						"ejection.maxCooldown: %s (expected: >= baseCooldown %s)".formatted(maxCooldown, baseCooldown));
			}
			if (consecutiveErrors < 1) {
				throw new IllegalArgumentException(
						"ejection.consecutiveErrors: %d (expected: > 0)".formatted(consecutiveErrors));
			}
			if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
				throw new IllegalArgumentException(
						"ejection.maxEjectionPercent: %d (expected: 0..100)".formatted(maxEjectionPercent));
			}
		}

	}

	/**
	 * The controller's {@code Routing.Watch} stream
	 * ({@code llmserve.gateway.routing.watch.*}). A stream that fails or ends is opened
	 * again after an exponential backoff with jitter, reset once a snapshot arrives.
	 *
	 * @param initialBackoff the delay before the first reconnection attempt
	 * @param maxBackoff the longest delay between attempts
	 * @param jitter the random share of each delay, 0..1 (0.5: up to half of it)
	 * @param keepAliveTime HTTP/2 ping interval while the stream is open, to notice a
	 * controller that vanished without closing the connection; the controller must permit
	 * pings this often (gRPC servers refuse more than one per 5 minutes by default)
	 * @param keepAliveTimeout how long a ping may go unanswered before the connection is
	 * considered lost
	 * @param gatewayId the id sent in {@code WatchRequest}, for the controller's logs;
	 * empty for {@code gateway-<pid>}
	 */
	public record Watch(@DefaultValue("200ms") @NotNull Duration initialBackoff,
			@DefaultValue("5s") @NotNull Duration maxBackoff, @DefaultValue("0.5") double jitter,
			@DefaultValue("5m") @NotNull Duration keepAliveTime,
			@DefaultValue("20s") @NotNull Duration keepAliveTimeout, @DefaultValue("") String gatewayId) {

		public Watch {
			requirePositive("watch.initialBackoff", initialBackoff);
			requirePositive("watch.keepAliveTime", keepAliveTime);
			requirePositive("watch.keepAliveTimeout", keepAliveTimeout);
			if (maxBackoff.compareTo(initialBackoff) < 0) {
				throw new IllegalArgumentException(
						"watch.maxBackoff: %s (expected: >= initialBackoff %s)".formatted(maxBackoff, initialBackoff));
			}
			if (!(jitter >= 0 && jitter <= 1)) {
				throw new IllegalArgumentException("watch.jitter: %s (expected: 0..1)".formatted(jitter));
			}
		}

		/** The id this gateway introduces itself with. */
		public String effectiveGatewayId() {
			return (this.gatewayId == null || this.gatewayId.isBlank()) ? "gateway-" + ProcessHandle.current().pid()
					: this.gatewayId;
		}

	}

}
