/** The CLI's entry point. Subcommands are added by the scan, copy and migrate work. */
process.stderr.write('usage: ar-mirror scan|copy|migrate ...\n');
process.exitCode = 2;
