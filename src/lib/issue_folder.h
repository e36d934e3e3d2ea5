// Reading back a folder that convert wrote (issue.json or issue.yaml plus one
// file per notice), so that diff can compare earlier conversions.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "diagnostics.h"
#include "json_model.h"
#include "model.h"

namespace gazette {

/// The YAML tree as the JSON tree it was written from: plain scalars that
/// read as null, a bool or a number become one; quoted scalars stay strings
/// (the writer quotes strings that would read as another type).
Json yaml_to_json(const YAML::Node& node);

/// Reads DIR/issue.json (or DIR/issue.yaml) and every notice file it lists.
/// Returns false and fills `err` (kind Input, with the file) when a file is
/// missing, unreadable or not of our schema.
bool read_issue_folder(const std::string& dir, Issue* out, Error* err);

}  // namespace gazette
