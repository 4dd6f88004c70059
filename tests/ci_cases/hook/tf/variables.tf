variable "multi_az" {
  description = "Keep a standby in a second AZ"
  type        = bool
  default     = false
}
