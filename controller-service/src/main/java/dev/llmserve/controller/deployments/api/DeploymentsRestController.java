package dev.llmserve.controller.deployments.api;

import java.net.URI;
import java.util.List;

import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.Replica;
import dev.llmserve.controller.deployments.Deployment;
import dev.llmserve.controller.deployments.DeploymentConditions;
import dev.llmserve.controller.deployments.DeploymentNotFoundException;
import dev.llmserve.controller.deployments.DeploymentRequest;
import dev.llmserve.controller.deployments.DeploymentStore;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API: create, list, get, scale and delete deployments. Changes are persisted
 * before they are answered; the reconciler acts on them.
 */
@RestController
@RequestMapping("/api/v1/deployments")
class DeploymentsRestController {

	private final DeploymentStore store;

	private final ClusterState cluster;

	private final DeploymentConditions conditions;

	DeploymentsRestController(DeploymentStore store, ClusterState cluster, DeploymentConditions conditions) {
		this.store = store;
		this.cluster = cluster;
		this.conditions = conditions;
	}

	@PostMapping
	Mono<ResponseEntity<DeploymentView>> create(@Valid @RequestBody DeploymentRequest request) {
		return this.store.create(request.toDeployment())
			.map((created) -> ResponseEntity.created(URI.create("/api/v1/deployments/" + created.name()))
				.body(view(created)));
	}

	@GetMapping
	List<DeploymentView> list() {
		return this.store.list().stream().map(this::view).toList();
	}

	@GetMapping("/{name}")
	DeploymentView get(@PathVariable String name) {
		return this.store.find(name).map(this::view).orElseThrow(() -> new DeploymentNotFoundException(name));
	}

	@PutMapping("/{name}/replicas")
	Mono<DeploymentView> scale(@PathVariable String name, @Valid @RequestBody ScaleRequest request) {
		return this.store.scale(name, request.replicas()).map(this::view);
	}

	@DeleteMapping("/{name}")
	Mono<ResponseEntity<DeploymentView>> delete(@PathVariable String name) {
		return this.store.delete(name)
			.map((deleting) -> ResponseEntity.status(HttpStatus.ACCEPTED).body(view(deleting)));
	}

	private DeploymentView view(Deployment deployment) {
		List<Replica> replicas = this.cluster.replicas()
			.stream()
			.filter((replica) -> replica.deployment().equals(deployment.name()))
			.toList();
		return DeploymentView.of(deployment, replicas, this.conditions.message(deployment.name()).orElse(null));
	}

}
