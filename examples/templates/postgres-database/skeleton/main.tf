module "${{ values.name | replace("-", "_") }}_db" {
  source         = "../../modules/rds-postgres"
  name           = "${{ values.name }}-db"
  instance_class = "${{ values.size }}"
  tags = {
    owner  = "${{ values.owner }}"
    system = "${{ values.system }}"
  }
}
