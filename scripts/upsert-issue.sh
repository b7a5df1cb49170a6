#!/usr/bin/env bash
# Opens an issue titled TITLE with the body in FILE, or comments on the open one with that title, so a drift that
# persists across scheduled runs is one issue with a comment per run. Needs GH_TOKEN and GITHUB_REPOSITORY.
# Usage: upsert-issue.sh TITLE FILE
set -euo pipefail
title=$1 file=$2
number=$(gh issue list --repo "$GITHUB_REPOSITORY" --state open --search "\"$title\" in:title" --json number,title \
  --jq ".[] | select(.title == \"$title\") | .number" | head -n 1)
if [ -n "$number" ]; then
  gh issue comment "$number" --repo "$GITHUB_REPOSITORY" --body-file "$file"
else
  gh issue create --repo "$GITHUB_REPOSITORY" --title "$title" --body-file "$file"
fi
