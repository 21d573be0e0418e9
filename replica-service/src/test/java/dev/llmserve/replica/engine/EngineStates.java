package dev.llmserve.replica.engine;

/** Drives an {@link EngineState} through its phases, for tests of its readers. */
public final class EngineStates {

	private EngineStates() {
	}

	public static EngineState ready() {
		EngineState state = new EngineState();
		state.launched(1234);
		state.ready();
		return state;
	}

	public static void exit(EngineState state, int code) {
		state.exited(code);
	}

	public static void stop(EngineState state) {
		state.stopped();
	}

}
