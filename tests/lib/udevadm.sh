# Sourced by the tests that run rules through `udevadm test` (systemd 252 to 257).
#   udevadm_props          stdin: udevadm test's stdout; stdout: the device's properties,
#                          one KEY=VALUE a line (252 prints them bare after the banner,
#                          257 indents them under "Properties:")
#   udevadm_import_cmds    stdin: udevadm test's stderr (its debug log); stdout: the
#                          IMPORT{program} command lines the rules chose for the device,
#                          as udev expanded them, one a line.  252 runs them in test
#                          mode and logs "Importing properties from results of 'CMD'";
#                          257 runs none and logs "Running in test mode, skipping
#                          execution of 'CMD'" (or the rule line with IMPORT{program}).
udevadm_props() {
        sed -n -E 's/^ {0,2}([A-Za-z_][A-Za-z0-9_]*=.*)$/\1/p'
}
udevadm_import_cmds() {
        sed -n -E "s/.*(Importing properties from results of|skipping execution of|Running PROGRAM) '(.*)'.*$/\2/p" | sort -u
}
