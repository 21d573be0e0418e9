package dev.llmserve.loadgen.cli;

/**
 * One command-line flag, documented where it is declared so {@code --help} lists them
 * all.
 *
 * @param name the flag without its dashes
 * @param value the value's placeholder, or null for a switch
 * @param defaultValue the default as shown in the help (null: none)
 * @param help what it does
 */
record Flag(String name, String value, String defaultValue, String help) {

	boolean isSwitch() {
		return this.value == null;
	}

}
