#!/usr/bin/env bun
console.log("trellis");
