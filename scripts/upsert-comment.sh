#!/usr/bin/env bash
# Posts the body in FILE on pull request PR, or edits this workflow's earlier comment carrying MARKER, so each stack
# keeps one preview comment however often the pull request is pushed. Needs GH_TOKEN and GITHUB_REPOSITORY.
# Usage: upsert-comment.sh PR MARKER FILE
set -euo pipefail
pr=$1 marker=$2 file=$3
body="$marker"$'\n'"$(cat "$file")"
id=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$pr/comments" \
  --jq ".[] | select(.user.login == \"github-actions[bot]\" and (.body | startswith(\"$marker\"))) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -f body="$body" >/dev/null
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -f body="$body" >/dev/null
fi
