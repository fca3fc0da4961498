package main

import "fmt"

func main() {
	fmt.Println("${{ values.name }} on :${{ values.port }}")
}
