package dev.llmserve.worker.registration;

import java.time.Instant;

/** Where the worker stands with the controller, for readiness and operators. */
final class RegistrationState {

	private volatile String address;

	private volatile boolean registered;

	private volatile String controllerId = "";

	private volatile Instant lastContact;

	private volatile int failedAttempts;

	void advertising(String address) {
		this.address = address;
	}

	void registered(String controllerId, Instant now) {
		this.registered = true;
		this.controllerId = controllerId;
		contact(now);
	}

	void contact(Instant now) {
		this.lastContact = now;
		this.failedAttempts = 0;
	}

	/** Counts a failed call; returns how many failed in a row. */
	synchronized int failed() {
		return ++this.failedAttempts;
	}

	/** Whether the worker registered at least once. */
	boolean hasRegistered() {
		return this.registered;
	}

	String address() {
		return this.address;
	}

	String controllerId() {
		return this.controllerId;
	}

	Instant lastContact() {
		return this.lastContact;
	}

	int failedAttempts() {
		return this.failedAttempts;
	}

}
