/// The table of subcommands. Each installer lives in its own file (stats_command.cc, ...).
#pragma once

#include <array>

#include "ctxtrail/cli/app.h"

namespace ctxtrail::cli {

void install_stats_command(CLI::App& root, Io& io);
void install_events_command(CLI::App& root, Io& io);
void install_analyze_command(CLI::App& root, Io& io);
void install_lifecycle_command(CLI::App& root, Io& io);
void install_dag_command(CLI::App& root, Io& io);
void install_report_command(CLI::App& root, Io& io);
void install_export_command(CLI::App& root, Io& io);
void install_contexts_command(CLI::App& root, Io& io);
void install_capture_command(CLI::App& root, Io& io);
void install_diff_command(CLI::App& root, Io& io);
void install_completion_command(CLI::App& root, Io& io);
void install_manpage_command(CLI::App& root, Io& io);

inline constexpr std::array kCommands = {
    CommandEntry{"stats", install_stats_command},
    CommandEntry{"events", install_events_command},
    CommandEntry{"analyze", install_analyze_command},
    CommandEntry{"lifecycle", install_lifecycle_command},
    CommandEntry{"dag", install_dag_command},
    CommandEntry{"report", install_report_command},
    CommandEntry{"export", install_export_command},
    CommandEntry{"contexts", install_contexts_command},
    CommandEntry{"capture", install_capture_command},
    CommandEntry{"diff", install_diff_command},
    CommandEntry{"completion", install_completion_command},
    CommandEntry{"manpage", install_manpage_command},
};

}  // namespace ctxtrail::cli
